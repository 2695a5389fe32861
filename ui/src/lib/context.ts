/**
 * The context budget the backend reports first in every answer stream, and the
 * pure helpers around it: mapping `dropped` (indices into the messages array
 * that was sent) back to conversation turns, and formatting the meter.
 */
import type { ContextBudget } from "./bindings/ContextBudget";
import { t } from "./i18n.svelte";

/**
 * What each entry of a sent messages array was: the id of the turn it came
 * from, or `null` for a message that is no turn of the conversation (a system
 * prompt, which the backend never drops). `sent[i]` describes `messages[i]`.
 */
export type SentRef = number | null;

/**
 * The ids of the turns the backend left out, oldest first. `sent` is the
 * reference list recorded when the messages were sent; `dropped` holds
 * indices into that same array. Indices that are out of range, not integers,
 * repeated or point at a non-turn (system) message are ignored.
 */
export function droppedTurnIds(sent: readonly SentRef[], dropped: readonly number[]): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const i of dropped) {
    if (!Number.isInteger(i) || i < 0 || i >= sent.length) continue;
    const id = sent[i];
    if (id === null || id === undefined || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A token count with thousands separators: 32768 → "32,768". */
export function formatTokens(n: number): string {
  return numberFormat.format(Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0);
}

/** Tokens the prompt takes: system + patient context, kept history and the new message. */
export function contextUsed(b: ContextBudget): number {
  return b.system_tokens + b.history_tokens + b.message_tokens;
}

/** The compact meter label: "1,234 / 32,768 tokens · 2,048 left for the answer". */
export function contextLabel(b: ContextBudget): string {
  return t("context.label", formatTokens(contextUsed(b)), formatTokens(b.limit), formatTokens(b.answer_room));
}

export type ContextSegmentKey = "system" | "history" | "message" | "answer";

export interface ContextSegment {
  key: ContextSegmentKey;
  label: string;
  tokens: number;
  /** Share of the bar, 0..100. */
  percent: number;
}

const SEGMENT_LABELS: Record<ContextSegmentKey, `context.${ContextSegmentKey}`> = {
  system: "context.system",
  history: "context.history",
  message: "context.message",
  answer: "context.answer",
};

/** The meter's segments, left to right, each with its share of the context. */
export function contextSegments(b: ContextBudget): ContextSegment[] {
  const parts: [ContextSegmentKey, number][] = [
    ["system", b.system_tokens],
    ["history", b.history_tokens],
    ["message", b.message_tokens],
    ["answer", b.answer_room],
  ];
  const clean = parts.map(([k, n]) => [k, Number.isFinite(n) ? Math.max(0, n) : 0] as const);
  // The parts add up to the limit; should they not, never overflow the bar.
  const total = Math.max(b.limit, clean.reduce((s, [, n]) => s + n, 0));
  return clean.map(([key, tokens]) => ({
    key,
    label: t(SEGMENT_LABELS[key]),
    tokens,
    percent: total > 0 ? (tokens / total) * 100 : 0,
  }));
}

/** The meter's tooltip: one line per segment, with numbers. */
export function contextDetail(b: ContextBudget): string {
  const lines = [t("context.detail", formatTokens(contextUsed(b)), formatTokens(b.limit))];
  for (const s of contextSegments(b)) lines.push(`${s.label}: ${formatTokens(s.tokens)}`);
  if (b.dropped.length > 0) lines.push(droppedNotice(b.dropped.length));
  return lines.join("\n");
}

/** Little room is left for the answer (under a tenth of the context). */
export function contextLow(b: ContextBudget): boolean {
  return b.limit > 0 && b.answer_room < b.limit * 0.1;
}

/** The notice on an answer for which earlier turns were left out. */
export function droppedNotice(n: number): string {
  return t("context.dropped", n, formatTokens(n));
}
