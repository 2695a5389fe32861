/**
 * What a streaming answer shows while it comes, so minutes on a slow machine are not a silent
 * "Thinking…": what it is doing (reading the question, thinking, answering), for how long, and,
 * once enough text has come to measure it, how fast. Pure: the caller passes the clock.
 */
import type { AssistantTurn } from "./chat";
import { t } from "./i18n.svelte";

export type ProgressPhase = "reading" | "thinking" | "answering";

export interface Progress {
  phase: ProgressPhase;
  /** Since the answer was asked for, as m:ss (h:mm:ss past an hour). */
  elapsed: string;
  /** Chunks per second (about a token each) since the first one; null until measurable. */
  rate: number | null;
}

/** Chunks before a speed is shown: the first ones come in bursts. */
const MIN_CHUNKS = 4;

export function progressOf(turn: AssistantTurn, now: number): Progress | null {
  const { startedAt, firstAt, lastAt, chunks } = turn.pace;
  if (turn.status !== "streaming" || startedAt === null) return null;
  const phase: ProgressPhase = turn.content ? "answering" : chunks > 0 ? "thinking" : "reading";
  const span = firstAt !== null && lastAt !== null ? (lastAt - firstAt) / 1000 : 0;
  const rate = chunks >= MIN_CHUNKS && span > 0 ? (chunks - 1) / span : null;
  return { phase, elapsed: clock(now - startedAt), rate };
}

export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

export function progressText(p: Progress): string {
  const doing =
    p.phase === "reading"
      ? t("progress.reading", p.elapsed)
      : p.phase === "thinking"
        ? t("progress.thinking", p.elapsed)
        : t("progress.answering", p.elapsed);
  return p.rate === null ? doing : `${doing} · ${t("stats.tokS", p.rate.toFixed(1))}`;
}
