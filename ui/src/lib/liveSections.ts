/**
 * The red-flag sections of an answer while it is still being written, so they are styled as the
 * backend's parsed answer styles them (a red card) before the `parsed` event arrives and the
 * layout does not jump. Pure: the same text always gives the same parts, however it was chunked.
 *
 * The titles come from the backend's own table (bindings/sectionTitles.ts, generated from
 * crates/consult/src/headings.rs); the heading forms follow its markdown.rs and answer.rs:
 * "## Red flags", "**Red flags:**", a bare "危险信号：" line; a heading inside a fenced code
 * block is not one. The backend's parsed answer replaces these parts when the answer ends.
 * Better still (next step): the backend could stream the section boundaries itself.
 */
import { SECTION_TITLES } from "./bindings/sectionTitles";
import type { SectionKind } from "./bindings/SectionKind";

/** A stretch of the streamed answer: plain Markdown, or a red-flag section to show as a card. */
export type LivePart = { kind: "markdown"; markdown: string } | { kind: "red_flags"; title: string; body: string };

const NUMBERING =
  /^(?:\d{1,2}\s*[.)、:：．]|[（(]\s*\d{1,2}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|step\s*\d+\s*[:.)-]?)\s*/u;
const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const ATX = /^#{1,4}(?:[ \t]+|[^#\s])/;
const LIST_ITEM =
  /^([ \t]*)([-•·▪◦‣●○]\s*|[*+]\s+|\d{1,2}[.)]\s+|\d{1,2}[、．]\s*|[（(]\s*\d{1,2}\s*[)）]\s*|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*|[一二三四五六七八九十]{1,2}[、.．]\s*)(.*)$/u;

function collapseWs(s: string): string {
  return s.split(/\s+/u).filter(Boolean).join(" ");
}

function trimStartOf(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i])) i++;
  return s.slice(i);
}

function trimEndOf(s: string, chars: string): string {
  let i = s.length;
  while (i > 0 && chars.includes(s[i - 1])) i--;
  return s.slice(0, i);
}

/** Inline Markdown and HTML reduced to plain text (markdown.rs `plain_inline`). */
export function plainInline(s: string): string {
  let x = s
    .replace(/<!--[\s\S]*?(?:-->|$)/g, " ")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<\/?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?\/?>/g, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])/g, "$1");
  x = x.replaceAll("**", "").replaceAll("~~", "").replace(/[`*]/g, "");
  x = x.replace(/(^|[\s([])_{1,2}([^_\s][^_]*?)_{1,2}($|[\s).,;:!?\]])/gu, "$1$2$3");
  x = x
    .replaceAll("&nbsp;", " ")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
  return collapseWs(x);
}

/** The kind of section a title names, and whether it names it exactly (headings.rs `classify`). */
export function classify(title: string): { kind: SectionKind; exact: boolean } {
  const lower = plainInline(title).toLowerCase().replaceAll("’", "'").trim().replace(NUMBERING, "");
  let norm = "";
  for (const c of lower) norm += ALNUM.test(c) || c === "'" || c === "-" ? c : " ";
  norm = collapseWs(norm);
  for (const [kind, keys] of SECTION_TITLES) {
    for (const key of keys) {
      if (!norm.startsWith(key)) continue;
      const rest = norm.slice(key.length);
      // "causes" must not match "causesx"; Chinese has no spaces, so any rest is fine there.
      // eslint-disable-next-line no-control-regex
      if (rest === "" || rest.startsWith(" ") || !/^[\x00-\x7f]*$/.test(key)) return { kind, exact: rest === "" };
    }
  }
  return { kind: "other", exact: false };
}

function displayTitle(s: string): string {
  return trimEndOf(plainInline(s).trim(), ":：").trim();
}

function stripQuote(line: string): string {
  let l = line;
  for (;;) {
    const t = l.trimStart();
    if (!t.startsWith(">")) return l;
    l = t.slice(1);
    if (l.startsWith(" ")) l = l.slice(1);
  }
}

function isListItem(line: string): boolean {
  const l = stripQuote(line);
  const m = LIST_ITEM.exec(l);
  if (!m) return false;
  const marker = m[2];
  const text = m[3].trim();
  const negativeNumber = marker === "-" && /^\d/.test(text);
  return !(text === "" || !ALNUM.test(text) || l.trimStart().startsWith("--") || negativeNumber);
}

interface Heading {
  kind: SectionKind;
  title: string;
  /** Text that followed the heading on its line ("**Red flags:** call now"). */
  rest: string | null;
}

/** A heading line, as the backend reads one (headings.rs `heading`). */
export function heading(line: string): Heading | null {
  const t = line.trim();
  if (ATX.test(t)) {
    const inner = trimEndOf(trimStartOf(t, "#").trim(), "#").trim();
    const title = displayTitle(inner);
    return title ? { kind: classify(title).kind, title, rest: null } : null;
  }
  // Bold text is a heading only when it names a known section.
  for (const mark of ["**", "__"]) {
    if (!t.startsWith(mark)) continue;
    const after = t.slice(mark.length);
    const i = after.indexOf(mark);
    const inner = i === -1 ? after : after.slice(0, i);
    const rest = trimStartOf(i === -1 ? "" : after.slice(i + mark.length), "*_:：").trim();
    const { kind, exact } = classify(inner);
    if (kind !== "other" && (exact || rest === "")) return { kind, title: displayTitle(inner), rest: rest || null };
    return null;
  }
  // A bare "Most likely causes:" or "危险信号：" line.
  const stripped = trimEndOf(plainInline(t), ":：").trim();
  if ([...stripped].length <= 40 && !isListItem(t)) {
    const { kind, exact } = classify(stripped);
    if (exact && kind !== "other") return { kind, title: displayTitle(stripped), rest: null };
  }
  return null;
}

const NONE_STARTS = ["none", "no red flag", "no warning sign", "nothing urgent", "n/a", "nil"];
const NONE_EXACT = ["无", "没有", "暂无", "无明显危险信号", "未发现危险信号"];
const NONE_STARTS_ZH = ["暂无", "没有明显", "无明显", "未发现", "目前没有", "目前无"];

/**
 * A red-flag body that only says there are none ("None.", "暂无"): the backend drops it, so it is
 * no card (answer.rs `says_none`). `open`: more may follow, so a body that could still become
 * such a denial ("No", "暂") waits.
 */
export function saysNone(body: string, open = false): boolean {
  const t = trimEndOf(trimStartOf(plainInline(body).toLowerCase(), "-*• "), ".。! ").trim();
  if ([...t].length > 80) return false;
  if (t === "" || NONE_STARTS.some((p) => t.startsWith(p)) || NONE_EXACT.includes(t) || NONE_STARTS_ZH.some((p) => t.startsWith(p))) return true;
  return open && [...NONE_STARTS, ...NONE_EXACT, ...NONE_STARTS_ZH].some((p) => p.startsWith(t));
}

interface Raw {
  kind: SectionKind;
  title: string;
  lead: string | null;
  /** The section's lines as written, its heading line first. */
  lines: string[];
  /** Lines after the heading. */
  body: string[];
}

/**
 * The streamed answer cut at its red-flag sections: Markdown parts and red-flag parts, in the
 * order written; null when there is no red-flag section to show (render the whole as Markdown).
 * `complete`: the text is final; otherwise its unfinished last line counts as a heading only
 * when it is an ATX heading ("## Red flags" before its newline), and a red-flag section that
 * could still turn out to say "none" is not a card yet.
 */
export function liveParts(md: string, complete: boolean): LivePart[] | null {
  if (!/red|flag|warning|danger|emergency|信号|红旗|危险|预警/i.test(md)) return null;
  // Only the answer proper, as markdown.rs `strip_think` keeps it: never a heading in a thinking block.
  let start = 0;
  let end = md.length;
  const close = md.lastIndexOf("</think>");
  if (close !== -1) start = close + "</think>".length;
  else if (md.includes("<think>")) end = md.indexOf("<think>");
  const before = md.slice(0, start);
  const after = md.slice(end);
  const lines = md.slice(start, end).split("\n");

  const raws: Raw[] = [{ kind: "other", title: "", lead: null, lines: [], body: [] }];
  let fence: { c: string; n: number } | null = null;
  for (const [i, text] of lines.entries()) {
    const t = text.trimStart();
    const marker = t[0] === "`" || t[0] === "~" ? t[0] : null;
    let run = 0;
    while (marker && t[run] === marker) run++;
    let inCode: boolean;
    if (!fence && marker && run >= 3) {
      fence = { c: marker, n: run };
      inCode = true;
    } else if (fence && marker === fence.c && run >= fence.n && t.slice(run).trim() === "") {
      fence = null;
      inCode = true;
    } else inCode = fence !== null;

    const last = i === lines.length - 1;
    const finished = complete || !last || end < md.length;
    const h = !inCode && (finished || ATX.test(text.trim())) ? heading(text) : null;
    if (h) raws.push({ kind: h.kind, title: h.title, lead: h.rest, lines: [text], body: [] });
    else {
      const cur = raws[raws.length - 1];
      cur.lines.push(text);
      cur.body.push(text);
    }
  }

  const parts: LivePart[] = [];
  const markdown = (s: string) => {
    const prev = parts[parts.length - 1];
    if (prev?.kind === "markdown") prev.markdown += `\n${s}`;
    else parts.push({ kind: "markdown", markdown: s });
  };
  if (before) parts.push({ kind: "markdown", markdown: before });
  raws.forEach((r, i) => {
    if (i === 0 && r.lines.length === 0) return;
    if (r.kind === "red_flags") {
      const body = sectionBody(r);
      const open = !complete && i === raws.length - 1 && end === md.length;
      if (!saysNone(body, open)) {
        parts.push({ kind: "red_flags", title: r.title, body });
        return;
      }
    }
    markdown(r.lines.join("\n"));
  });
  if (after) markdown(after);
  if (!parts.some((p) => p.kind === "red_flags")) return null;
  return parts.filter((p) => p.kind === "red_flags" || p.markdown.trim() !== "");
}

/** The body as answer.rs `to_section` keeps it: the lead, then the lines, blank ends trimmed. */
function sectionBody(r: Raw): string {
  const lines = r.lead ? [r.lead, ...r.body] : [...r.body];
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  return lines.map((l) => l.trimEnd()).join("\n");
}
