/**
 * Conversation model and the pure reducer that folds streamed ChatEvents into
 * an assistant message.
 */
import type { Attachment } from "./bindings/Attachment";
import type { LivePart } from "./bindings/LivePart";
import type { ChatEvent } from "./bindings/ChatEvent";
import type { ContextBudget } from "./bindings/ContextBudget";
import type { ContextNotice } from "./bindings/ContextNotice";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { FinishReason } from "./bindings/FinishReason";
import type { ParsedAnswer } from "./bindings/ParsedAnswer";
import type { Stats } from "./bindings/Stats";
import type { Triage } from "./bindings/Triage";
import { droppedTurnIds } from "./context";
import { joinSentences, t } from "./i18n.svelte";
import { initialThinking, thinkingReducer, type ThinkingState } from "./thinking";

/*
 * Turn ids are the view's own (stable keys while a turn streams); `messageId` is the stored
 * message's id, known once the backend saved it (the `saved` event, or a reopened consultation).
 */

export interface UserTurn {
  id: number;
  role: "user";
  content: string;
  messageId: number | null;
  /** The backend's red-flag check of this message; null until it arrives. */
  triage: Triage | null;
  /** The documents attached to it (their text goes to the model with the question). */
  attachments: Attachment[];
}

/** `interrupted`: the app closed while the answer was being written. */
export type AssistantStatus = "streaming" | "done" | "failed" | "interrupted";

export interface AssistantTurn {
  id: number;
  role: "assistant";
  content: string;
  messageId: number | null;
  /** Sections and follow-up questions of an answer that ended on its own, as the backend parsed them. */
  parsed: ParsedAnswer | null;
  /** Until then (or without sections), its red-flag cards among ranges of `content`, as the backend cut them. */
  liveParts: LivePart[] | null;
  thinking: ThinkingState;
  stats: Stats | null;
  finish: FinishReason | null;
  error: ErrorPayload | null;
  status: AssistantStatus;
  /** How the prompt fitted the context (reported before the answer's first token), once known. */
  context: ContextBudget | null;
  /** Ids of the turns the backend left out of this answer's prompt, oldest first. */
  droppedTurnIds: number[];
  /** How the text of an answer streamed in this window has come, for its elapsed time and speed. */
  pace: Pace;
  /** Earlier answers to the same question (Regenerate, or an edit of it), oldest first. */
  versions: EarlierAnswer[];
}

/** An answer this one replaced, kept to compare (read only). */
export interface EarlierAnswer {
  /** The question as it was then. */
  question: string;
  content: string;
  stats: Stats | null;
  /** RFC 3339; empty for one replaced in this window before it was reloaded. */
  writtenAt: string;
}

/** `turn` as an earlier answer to `question`, or null when it has nothing to keep. */
export function earlierAnswer(turn: Turn | undefined, question: string): EarlierAnswer | null {
  if (!turn || turn.role !== "assistant" || turn.status === "streaming" || !turn.content.trim()) return null;
  return { question, content: turn.content, stats: turn.stats, writtenAt: "" };
}

/** When an answer was asked for (`performance.now()` ms; `null` for one read from the history) and its text chunks. */
export interface Pace {
  startedAt: number | null;
  firstAt: number | null;
  lastAt: number | null;
  chunks: number;
}

export type Turn = UserTurn | AssistantTurn;

let nextId = 1;
export function newId(): number {
  return nextId++;
}

export function userTurn(
  content: string,
  messageId: number | null = null,
  triage: Triage | null = null,
  attachments: Attachment[] = [],
): UserTurn {
  return { id: newId(), role: "user", content, messageId, triage, attachments };
}

/** An answer asked for at `startedAt` (ms), or, without it, one read from the history. */
export function assistantTurn(startedAt: number | null = null): AssistantTurn {
  return {
    id: newId(),
    role: "assistant",
    content: "",
    messageId: null,
    parsed: null,
    liveParts: null,
    thinking: initialThinking,
    stats: null,
    finish: null,
    error: null,
    status: "streaming",
    context: null,
    droppedTurnIds: [],
    pace: { startedAt, firstAt: null, lastAt: null, chunks: 0 },
    versions: [],
  };
}

/** One more chunk of text (reasoning or answer) at `at`. */
function paced(p: Pace, at: number): Pace {
  return { ...p, firstAt: p.firstAt ?? at, lastAt: at, chunks: p.chunks + 1 };
}

/** Fold one streamed event into the assistant turn. `at` is a ms timestamp. */
export function applyChatEvent(m: AssistantTurn, ev: ChatEvent, at: number): AssistantTurn {
  switch (ev.type) {
    case "context":
      // A consultation's budget comes as its own event, with stored ids: see `withContextNotice`.
      return m;
    case "reasoning":
      if (!ev.text) return m;
      return { ...m, pace: paced(m.pace, at), thinking: thinkingReducer(m.thinking, { type: "reasoning", text: ev.text, at }) };
    case "content":
      if (!ev.text) return m;
      return {
        ...m,
        content: m.content + ev.text,
        pace: paced(m.pace, at),
        thinking: thinkingReducer(m.thinking, { type: "content", at }),
      };
    case "stats": {
      const { type: _t, ...stats } = ev;
      return {
        ...m,
        stats,
        thinking: thinkingReducer(m.thinking, { type: "stats", reasoningMs: stats.reasoning_ms }),
      };
    }
    case "error":
      return {
        ...m,
        status: "failed",
        error: { code: ev.code, message: ev.message },
        thinking: thinkingReducer(m.thinking, { type: "end", at }),
      };
    case "done":
      return {
        ...m,
        finish: ev.finish_reason,
        status: m.status === "failed" || ev.finish_reason === "error" ? "failed" : "done",
        thinking: thinkingReducer(m.thinking, { type: "end", at }),
      };
  }
  return m;
}

/** Close a turn whose stream ended without a `done` event (e.g. invoke rejected). */
export function finalizeTurn(m: AssistantTurn, at: number, error: ErrorPayload | null): AssistantTurn {
  if (m.status !== "streaming" && !error) return m;
  const thinking = thinkingReducer(m.thinking, { type: "end", at });
  if (error) {
    return { ...m, thinking, status: "failed", error: m.error ?? error, finish: m.finish ?? "error" };
  }
  return { ...m, thinking, status: "done", finish: m.finish ?? "stop" };
}

/**
 * The answer with the backend's context notice: its budget (the meter) and the turns its prompt
 * left out, named by stored message id and mapped here through each turn's `messageId`.
 * `turns` are the conversation's turns (those before the answer are enough).
 */
export function withContextNotice(m: AssistantTurn, notice: ContextNotice, turns: readonly Turn[]): AssistantTurn {
  return { ...m, context: notice.budget, droppedTurnIds: droppedTurnIds(turns, notice.dropped_message_ids) };
}

/** The rule id of a triage raised by the model's own red flags, not by a rule, while it answered. */
export const MODEL_RULE_ID = "model_red_flags";

/**
 * The consultation's latest emergency: the triage of the last user turn that has one of level
 * "emergency" (the model's own red flags too), or null. The pinned bar shows it; a later routine
 * turn does not take it away.
 */
export function latestEmergency(turns: readonly Turn[]): Triage | null {
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (t.role === "user" && t.triage?.level === "emergency") return t.triage;
  }
  return null;
}

/**
 * The answers that start folded: those whose question a rule found an emergency before the answer
 * began. An emergency raised by the model's own red flags came from the answer itself, which the
 * user was already reading: that answer stays open.
 */
export function foldedAnswers(turns: readonly Turn[]): Set<number> {
  const out = new Set<number>();
  let question: Triage | null = null;
  for (const t of turns) {
    if (t.role === "user") question = t.triage;
    else if (question?.level === "emergency" && question.rules[0] !== MODEL_RULE_ID) out.add(t.id);
  }
  return out;
}

/** The latest answer that knows its context budget (what the meter shows), if any. */
export function latestWithContext(turns: readonly Turn[]): (AssistantTurn & { context: ContextBudget }) | null {
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (t.role === "assistant" && t.context) return t as AssistantTurn & { context: ContextBudget };
  }
  return null;
}

/**
 * Share of drafted tokens the target accepted (0..1) as a rounded percentage,
 * or null when speculative decoding was off (or the value is unusable).
 */
export function draftAcceptancePercent(s: Stats): number | null {
  const a = s.draft_acceptance;
  if (a === null || a === undefined || !Number.isFinite(a)) return null;
  return Math.round(Math.min(1, Math.max(0, a)) * 100);
}

/** The engine switched its draft off because it does not pay on this machine. */
function draftSwitchedOff(s: Stats): boolean {
  const v = s.draft?.verdict;
  return (v === "never_pays" || v === "does_not_pay_now") && s.draft?.gamma === 0;
}

export function formatStats(s: Stats): string {
  const parts = [t("stats.ttft", Math.round(s.ttft_ms)), t("stats.tokS", s.decode_tok_s.toFixed(1)), t("stats.tokens", s.tokens)];
  const draft = draftAcceptancePercent(s);
  if (draftSwitchedOff(s)) parts.push(t("stats.draftOff"));
  else if (draft !== null) parts.push(t("stats.draft", draft));
  if (s.device) parts.push(s.device);
  return parts.join(" · ");
}

/** Which model wrote an answer: "Written by NAME (Q4_K_M) · instructions 2026-11-26.1". */
export function formatStamp(s: Stats): string {
  const model = s.quantization && !s.model.toUpperCase().includes(s.quantization.toUpperCase()) ? `${s.model} (${s.quantization})` : s.model;
  return s.prompt_version ? t("answer.stamp", model, s.prompt_version) : t("answer.stampModel", model);
}

export function formatStatsDetail(s: Stats): string {
  const draft = draftAcceptancePercent(s);
  const share = s.draft ? Math.round(Math.min(1, Math.max(0, s.draft.speculative_share)) * 100) : null;
  return joinSentences([
    t("stats.detail", s.prompt_tokens, s.prefill_tok_s.toFixed(1), s.tokens, s.decode_tok_s.toFixed(1), Math.round(s.ttft_ms)),
    draft !== null ? t("stats.detailDraft", draft) : "",
    share !== null ? t("stats.detailSpeculation", share, s.draft?.gamma ?? 0) : "",
    draftSwitchedOff(s) ? t("stats.detailDraftOff") : "",
    s.draft?.verdict === "never_pays" && s.draft.best_speedup != null ? t("stats.detailDraftBest", s.draft.best_speedup.toFixed(2)) : "",
  ]);
}

export function finishNote(f: FinishReason | null): string | null {
  if (f === "cancelled") return t("answer.stopped");
  if (f === "length") return t("answer.length");
  return null;
}
