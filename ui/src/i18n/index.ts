// Every sentence a person reads comes from the message catalogues in `locales/` (Fluent):
// one file per language, shared with the Rust side, which renders the messages core returns.
// The language is settled once, when the window loads: the choice saved in My account, else
// the system's. Choosing another reloads the window, so constants built from `t` at import
// time (column labels, status names) are always in the language shown.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import { negotiateLanguages } from "@fluent/langneg";
import { pseudolocalize, PSEUDO_LOCALE } from "./pseudo";

export { PSEUDO_LOCALE };

/** Where the window keeps the language chosen in My account ("" or missing: follow the system). */
const CHOICE_KEY = "roster.language";
const FALLBACK = "en";

const FILES = import.meta.glob<string>("../../../locales/*.ftl", { query: "?raw", import: "default", eager: true });

/** Catalogue text per language: `locales/de.ftl` is German. */
export function catalogues(): Map<string, string> {
  const byLanguage = new Map<string, string>();
  for (const [path, text] of Object.entries(FILES)) {
    byLanguage.set(path.slice(path.lastIndexOf("/") + 1, -".ftl".length), text);
  }
  return byLanguage;
}

const CATALOGUES = catalogues();

/** The languages Roster speaks, as their own speakers name them. */
export function languages(): { code: string; name: string }[] {
  return [...CATALOGUES.keys()]
    .map((code) => ({ code, name: new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, a.code));
}

function savedChoice(): string | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(CHOICE_KEY) || null;
  } catch {
    return null;
  }
}

/** The language chosen in My account, or null when the window follows the system. */
export const chosenLanguage: string | null = savedChoice();

/** The system's languages: as the Rust side read them where the OS keeps them in the
 * environment (src-tauri's `system_languages`), else as the web view has them. */
function systemLanguages(): string[] {
  const told = (globalThis as { __ROSTER_SYSTEM_LANGUAGES__?: unknown }).__ROSTER_SYSTEM_LANGUAGES__;
  if (Array.isArray(told)) return told.filter((l): l is string => typeof l === "string");
  // Tests run the modules outside a window, where there is no system language to follow.
  return typeof navigator === "undefined" ? [] : [...navigator.languages];
}

function settle(): string {
  const wanted = chosenLanguage ? [chosenLanguage] : systemLanguages();
  // The pseudo-locale is never offered; a test asks for it as a system language would.
  if (wanted[0]?.toLowerCase() === PSEUDO_LOCALE.toLowerCase()) return PSEUDO_LOCALE;
  return negotiateLanguages(wanted, [...CATALOGUES.keys()], { defaultLocale: FALLBACK, strategy: "lookup" })[0] ?? FALLBACK;
}

/** The language the window shows. */
export const language: string = settle();
const pseudo = language === PSEUDO_LOCALE;
/** The locale dates, numbers and sorting follow (the pseudo-locale formats as English). */
export const formatLocale: string = pseudo ? FALLBACK : language;

function bundle(code: string, transform?: (text: string) => string): FluentBundle {
  const made = new FluentBundle(code === PSEUDO_LOCALE ? FALLBACK : code, {
    // Isolation marks around placeables matter to right-to-left scripts only; none is shipped,
    // and the marks would sit invisibly inside every name a test or a screen reader compares.
    useIsolating: false,
    ...(transform ? { transform } : {}),
  });
  const errors = made.addResource(new FluentResource(CATALOGUES.get(code === PSEUDO_LOCALE ? FALLBACK : code) ?? ""));
  if (errors.length > 0 && import.meta.env.DEV) console.error(`locales/${code}.ftl`, errors);
  return made;
}

const english = bundle(FALLBACK, pseudo ? pseudolocalize : undefined);
const shown = language === FALLBACK || pseudo ? english : bundle(language);

export type MessageArgs = Record<string, FluentVariable>;

function render(from: FluentBundle, id: string, args: MessageArgs | undefined): string | null {
  const message = from.getMessage(id);
  if (!message?.value) return null;
  return from.formatPattern(message.value, args ?? null);
}

/** Whether a catalogue has this message (for codes from the backend, which may be newer). */
export function hasMessage(id: string): boolean {
  return english.hasMessage(id);
}

/**
 * The message `id` in the window's language, its `{ $name }` placeables filled from `args`
 * (numbers are formatted for the locale, and choose plural forms). A message missing from a
 * translation reads in English; a missing id reads as itself, which the catalogue test catches.
 */
export function t(id: string, args?: MessageArgs): string {
  const text = render(shown, id, args) ?? render(english, id, args) ?? id;
  return pseudo ? `[${text}]` : text;
}

/** Saves the language for this workstation's window and shows it (`null`: follow the system). */
export function chooseLanguage(code: string | null): void {
  try {
    if (code) localStorage.setItem(CHOICE_KEY, code);
    else localStorage.removeItem(CHOICE_KEY);
  } catch {
    return;
  }
  window.location.reload();
}

if (typeof document !== "undefined") document.documentElement.lang = language;

const numberFormat = new Intl.NumberFormat(formatLocale);
const dateFormat = new Intl.DateTimeFormat(formatLocale, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(formatLocale, { dateStyle: "full", timeStyle: "long" });
const shortDateTimeFormat = new Intl.DateTimeFormat(formatLocale, { dateStyle: "medium", timeStyle: "medium" });
const collator = new Intl.Collator(formatLocale, { sensitivity: "base", numeric: true });

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** RFC 3339 UTC from the backend, shown in the viewer's local calendar. */
export function formatDate(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : dateFormat.format(d);
}

export function formatDateTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : dateTimeFormat.format(d);
}

/** A date and time on one line, for rows of a list. */
export function formatShortDateTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : shortDateTimeFormat.format(d);
}

/** Orders names the way the reader's language does ("Ä" beside "A" in German, "2" before "10"). */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/** An audit entry's action as people read it: core's catalogue message for it, in the window's language. */
export function actionLabel(entry: { action: string; label: string }): string {
  const id = `action-${entry.action.replace(/[._]/g, "-")}`;
  return hasMessage(id) ? t(id) : entry.label;
}
