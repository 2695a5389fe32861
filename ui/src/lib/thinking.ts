/**
 * State machine for the "thinking" (reasoning trace) panel shown above each
 * assistant answer. Pure: no DOM, no clock — callers pass timestamps in ms.
 *
 *   idle ──reasoning──▶ streaming ──content / end──▶ collapsed ⇄ expanded
 *                          │  ▲                          (toggle)
 *                  toggle  ▼  │ toggle (while still streaming)
 *                        collapsed (live)
 *
 * - `idle`: no reasoning seen (yet). An answer that never reasons never
 *   leaves `idle` and gets no panel.
 * - `streaming`: reasoning is arriving and the panel is open showing it live.
 * - the first content token (or the end of generation) auto-collapses an
 *   open `streaming` panel.
 * - `live` is true while reasoning may still arrive (no content / end yet).
 * - the duration comes from the backend's `reasoning_ms` when present,
 *   otherwise from the first and last reasoning event timestamps.
 */

import { t } from "./i18n.svelte";

export type ThinkingPhase = "idle" | "streaming" | "collapsed" | "expanded";

export interface ThinkingState {
  phase: ThinkingPhase;
  /** Reasoning is still (possibly) arriving. */
  live: boolean;
  text: string;
  firstAt: number | null;
  lastAt: number | null;
  /** Client-side measurement, set when reasoning ends. */
  measuredMs: number | null;
  /** Authoritative value from Stats.reasoning_ms. */
  reportedMs: number | null;
}

export type ThinkingAction =
  | { type: "reasoning"; text: string; at: number }
  | { type: "content"; at: number }
  | { type: "stats"; reasoningMs: number | null }
  /** Generation finished, was stopped, or failed. */
  | { type: "end"; at: number }
  | { type: "toggle" };

export const initialThinking: ThinkingState = Object.freeze({
  phase: "idle",
  live: false,
  text: "",
  firstAt: null,
  lastAt: null,
  measuredMs: null,
  reportedMs: null,
});

function finish(s: ThinkingState): ThinkingState {
  if (!s.live) return s;
  const measured =
    s.firstAt !== null && s.lastAt !== null ? Math.max(0, s.lastAt - s.firstAt) : 0;
  return {
    ...s,
    live: false,
    phase: s.phase === "streaming" ? "collapsed" : s.phase,
    measuredMs: measured,
  };
}

export function thinkingReducer(s: ThinkingState, a: ThinkingAction): ThinkingState {
  switch (a.type) {
    case "reasoning": {
      if (s.phase === "idle") {
        return { ...s, phase: "streaming", live: true, text: a.text, firstAt: a.at, lastAt: a.at };
      }
      // Late reasoning (after content) is kept but does not reopen the panel.
      return { ...s, text: s.text + a.text, lastAt: a.at, firstAt: s.firstAt ?? a.at };
    }
    case "content":
    case "end":
      return s.phase === "idle" ? s : finish(s);
    case "stats": {
      if (a.reasoningMs === null || a.reasoningMs === undefined) return s;
      return { ...s, reportedMs: Math.max(0, a.reasoningMs) };
    }
    case "toggle": {
      switch (s.phase) {
        case "idle":
          return s;
        case "streaming":
        case "expanded":
          return { ...s, phase: "collapsed" };
        case "collapsed":
          return { ...s, phase: s.live ? "streaming" : "expanded" };
      }
    }
  }
  return s;
}

/** Whether a panel should be rendered at all. */
export function hasPanel(s: ThinkingState): boolean {
  return s.phase !== "idle";
}

export function isOpen(s: ThinkingState): boolean {
  return s.phase === "streaming" || s.phase === "expanded";
}

/** Duration in ms once reasoning is over; null while live or when none. */
export function thinkingDurationMs(s: ThinkingState): number | null {
  if (s.phase === "idle" || s.live) return null;
  return s.reportedMs ?? s.measuredMs;
}

export function formatThinkingDuration(ms: number): string {
  if (ms < 1000) return t("thinking.underSecond");
  return t("thinking.took", Math.round(ms / 1000));
}

/** Label for the panel's summary line. */
export function thinkingLabel(s: ThinkingState): string {
  if (s.phase === "idle") return "";
  const ms = thinkingDurationMs(s);
  return ms === null ? t("thinking.pending") : formatThinkingDuration(ms);
}

/**
 * The finished, collapsed panel of a stored answer: its trace, and how long it took from the
 * stored times (RFC 3339) unless the stats report it. No trace: no panel.
 */
export function storedThinking(
  text: string,
  startedAt: string | null,
  endedAt: string | null,
  reportedMs: number | null,
): ThinkingState {
  if (!text) return initialThinking;
  const first = startedAt ? Date.parse(startedAt) : NaN;
  const last = endedAt ? Date.parse(endedAt) : NaN;
  const known = Number.isFinite(first) && Number.isFinite(last);
  return {
    phase: "collapsed",
    live: false,
    text,
    firstAt: known ? first : null,
    lastAt: known ? last : null,
    measuredMs: known ? Math.max(0, last - first) : null,
    reportedMs: reportedMs !== null && Number.isFinite(reportedMs) ? Math.max(0, reportedMs) : null,
  };
}
