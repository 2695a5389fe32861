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

/**
 * Whole sentences, each language in its own word order. An argument that a component renders as
 * an element (a `<code>` path, a phone number) is passed as `slot(value)`: the message stays one
 * string from one key, and `parts()` splits it back into text and slots for the markup.
 * The markers are private-use characters, so no translation or value contains them.
 */
const SLOT_OPEN = "\uE000";
const SLOT_CLOSE = "\uE001";

export function slot(value: string | number): string {
  return `${SLOT_OPEN}${value}${SLOT_CLOSE}`;
}

export interface Part {
  text: string;
  /** The value of a slot() (rendered as an element), not plain text. */
  slot: boolean;
}

/** A message with slot()ted arguments as its plain text and slots, in order (empty text dropped). */
export function parts(message: string): Part[] {
  const out: Part[] = [];
  const [head, ...rest] = message.split(SLOT_OPEN);
  if (head) out.push({ text: head, slot: false });
  for (const piece of rest) {
    const end = piece.indexOf(SLOT_CLOSE);
    if (end < 0) {
      if (piece) out.push({ text: piece, slot: false });
      continue;
    }
    out.push({ text: piece.slice(0, end), slot: true });
    const tail = piece.slice(end + SLOT_CLOSE.length);
    if (tail) out.push({ text: tail, slot: false });
  }
  return out;
}

/** Whole sentences one after another: a space between them in English, none in Chinese. */
export function joinSentences(sentences: readonly string[]): string {
  return sentences.filter((s) => s !== "").join(current === "zh" ? "" : " ");
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
