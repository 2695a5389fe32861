/**
 * The context budget the backend reports before every answer (with the stored ids of the
 * messages its prompt left out), and the pure helpers around it: mapping those ids back to
 * conversation turns, and formatting the meter.
 */
import type { ContextBudget } from "./bindings/ContextBudget";
import { t } from "./i18n.svelte";

/** What the mapping needs of a turn: the view's id and the stored message's id, once known. */
export interface TurnRef {
  id: number;
  messageId: number | null;
}

/**
 * The ids of the turns the backend left out of a prompt, oldest first. The backend names them
 * by stored message id (a context notice's `dropped_message_ids`); each maps to the turn that
 * holds that message. Ids no turn holds (yet) and repeats are ignored.
 */
export function droppedTurnIds(turns: readonly TurnRef[], droppedMessageIds: readonly number[]): number[] {
  const byMessage = new Map<number, number>();
  for (const turn of turns) if (turn.messageId !== null) byMessage.set(turn.messageId, turn.id);
  const out: number[] = [];
  for (const messageId of droppedMessageIds) {
    const id = byMessage.get(messageId);
    if (id !== undefined && !out.includes(id)) out.push(id);
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

/** The same without tokens: how much of what the model can keep in mind this conversation fills. */
export function contextPlainLabel(b: ContextBudget): string {
  const percent = b.limit > 0 ? Math.min(100, Math.round((contextUsed(b) / b.limit) * 100)) : 0;
  return t("context.plainLabel", percent);
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
  for (const s of contextSegments(b)) lines.push(t("context.segment", s.label, formatTokens(s.tokens)));
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
