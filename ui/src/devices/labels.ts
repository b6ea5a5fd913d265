import type { DeviceOs } from "../bindings/DeviceOs";
import type { DeviceState } from "../bindings/DeviceState";

export const OS_LABELS: Record<DeviceOs, string> = {
  windows: "Windows",
  macos: "macOS",
  linux: "Linux",
  android: "Android",
  ios: "iOS",
};

export const STATE_LABELS: Record<DeviceState, string> = { active: "Active", retired: "Retired" };

export const OPERATING_SYSTEMS = Object.keys(OS_LABELS) as DeviceOs[];

export function devices(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? "device" : "devices"}`;
}
