/**
 * Documents attached to a question: the limits the backend also enforces, the file's bytes as
 * base64 for `readAttachment`, and the numbers a chip shows (pages, words, memory used).
 */
import type { Attachment } from "./bindings/Attachment";
import type { AttachmentPreview } from "./bindings/AttachmentPreview";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import { formatBytes } from "./format";
import { locale, t } from "./i18n.svelte";

/** Documents one message may carry. */
export const MAX_ATTACHMENTS = 5;
/** Larger files are refused before they are read (decimal MB, as file managers show sizes). */
export const MAX_ATTACHMENT_BYTES = 20_000_000;
/** What the file picker offers: plain text and PDF. */
export const ACCEPT = ".txt,.md,.csv,.pdf,text/*,application/pdf";

// Bytes per String.fromCharCode call: far below any engine's argument limit.
const CHUNK = 0x8000;

/** `bytes` as base64, a slice at a time (one call with 20 MB of arguments overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + CHUNK)));
  }
  return btoa(parts.join(""));
}

/** Pictures, sound and video: never text, refused without reading them. */
const NOT_TEXT = /^(image|audio|video)\//;

/**
 * Why `file` is refused before it is read (over the size limit, or plainly not a document), or
 * null. The detail names the file and its size, in English, as the backend's would.
 */
export function refusal(file: Pick<File, "name" | "size" | "type">): ErrorPayload | null {
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return {
      code: "ATTACHMENT_TOO_LARGE",
      message: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_ATTACHMENT_BYTES)}`,
    };
  }
  if (NOT_TEXT.test(file.type)) {
    return { code: "ATTACHMENT_UNSUPPORTED", message: `${file.name} is ${file.type}, not plain text or a PDF` };
  }
  return null;
}

// Chinese and Japanese are written without spaces: each character counts as one word, as word
// processors count them.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** Words in `text` (each CJK character one word). */
export function wordCount(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return cjk + (text.replace(CJK, " ").match(WORD)?.length ?? 0);
}

/** `n` to two significant figures from 100 on (1,234 → 1,200): the chip says "about". */
export function roughly(n: number): number {
  if (n < 100) return n;
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / step) * step;
}

/** The share of the model's conversation memory the text takes, in whole percent; null when unknown. */
export function memoryShare(preview: Pick<AttachmentPreview, "tokens" | "limit">): number | null {
  const { tokens, limit } = preview;
  if (tokens === null || limit === null || !(limit > 0)) return null;
  return Math.round((tokens / limit) * 100);
}

/** "3 pages · about 1,200 words" (and, when known, how much of the conversation memory it uses). */
export function summary(a: Attachment, share: number | null = null): string {
  const words = wordCount(a.text);
  const formatted = roughly(words).toLocaleString(locale());
  const size = a.pages === null ? t("attach.textSize", words, formatted) : t("attach.pdfSize", a.pages, words, formatted);
  return share === null ? size : `${size} · ${t("attach.memory", share)}`;
}
