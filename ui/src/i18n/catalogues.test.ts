import { describe, expect, it } from "vitest";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { catalogues } from ".";
import { pseudolocalize } from "./pseudo";

const SOURCES = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts", "!../**/*.test.tsx", "!../bindings/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

function english(): FluentBundle {
  const bundle = new FluentBundle("en");
  const errors = bundle.addResource(new FluentResource(catalogues().get("en") ?? ""));
  expect(errors).toEqual([]);
  return bundle;
}

describe("message catalogues", () => {
  it("have every message the screens ask for", () => {
    const bundle = english();
    const missing: string[] = [];
    for (const [path, source] of Object.entries(SOURCES)) {
      for (const match of source.matchAll(/\bt\(\s*"([^"]+)"/g)) {
        const id = match[1] ?? "";
        if (!bundle.hasMessage(id)) missing.push(`${path}: ${id}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("parse without errors in every language", () => {
    for (const [language, text] of catalogues()) {
      const junk = new FluentResource(text).body.filter((entry) => !("id" in entry));
      expect(junk, `locales/${language}.ftl`).toEqual([]);
    }
  });
});

describe("the pseudo-locale", () => {
  it("accents every letter and runs about a third longer", () => {
    const english = "Import users from a spreadsheet";
    const pseudo = pseudolocalize(english);
    expect(pseudo).not.toMatch(/[A-Za-z]/);
    expect(pseudo.length).toBeGreaterThanOrEqual(english.length * 1.3);
  });
});
