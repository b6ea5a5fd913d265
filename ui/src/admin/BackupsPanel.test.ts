import { describe, expect, it } from "vitest";
import { formatBytes } from "./BackupsPanel";

describe("formatBytes", () => {
  it("says a backup's size in the unit that reads best", () => {
    expect(formatBytes(0)).toBe("0 kB");
    expect(formatBytes(1)).toBe("1 kB");
    expect(formatBytes(409_600)).toBe("400 kB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(formatBytes(1.4 * 1024 * 1024 * 1024)).toBe("1.4 GB");
  });
});
