/**
 * The UI language and `t()`. The language is one rune: every template, `$derived` or helper
 * that calls `t()` while rendering re-renders when it changes, so a switch is instant.
 * The catalogs are typed: zh.ts must have exactly the keys (and arguments) of en.ts.
 */
import { en, type Catalog } from "./i18n/en";
import { zh } from "./i18n/zh";
import { ERROR_TEXT } from "./i18n/errors";
import type { ErrorPayload } from "./bindings/ErrorPayload";

export type Lang = "en" | "zh";
export type MessageKey = keyof Catalog;
type Args<K extends MessageKey> = Catalog[K] extends (...a: infer A) => string ? A : [];

export const catalogs: Record<Lang, Catalog> = { en, zh };

/** The languages offered, each named in itself. */
export const LANGUAGES: readonly { value: Lang; label: string }[] = [
  { value: "en", label: "English" },
  { value: "zh", label: "中文" },
];

let current = $state<Lang>("en");

/** Anything the backend says ("zh", "zh-CN", "en", junk) as a language we have. */
export function toLang(s: string | null | undefined): Lang {
  return typeof s === "string" && s.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang) {
  current = l;
  // Screen readers and CJK font selection follow the document's language.
  if (typeof document !== "undefined") document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
}

/** The message for `key` in the current language, with its arguments filled in. */
export function t<K extends MessageKey>(key: K, ...args: Args<K>): string {
  const entry = catalogs[current][key] as unknown;
  if (typeof entry === "function") return (entry as (...a: unknown[]) => string)(...args);
  return entry as string;
}

/** The locale for Intl formatting (dates) in the current language. */
export function locale(): string {
  return current === "zh" ? "zh-CN" : "en";
}

/** What an error means, in the current language, from its code (never the raw English detail). */
export function errorText(e: Pick<ErrorPayload, "code">): string {
  const table = ERROR_TEXT[current];
  return table[e.code] ?? table.UNKNOWN;
}
