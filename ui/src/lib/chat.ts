/**
 * Conversation model and the pure reducer that folds streamed ChatEvents into
 * an assistant message.
 */
import type { ChatEvent } from "./bindings/ChatEvent";
import type { ChatMessage } from "./bindings/ChatMessage";
import type { ContextBudget } from "./bindings/ContextBudget";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { FinishReason } from "./bindings/FinishReason";
import type { Stats } from "./bindings/Stats";
import { droppedTurnIds, type SentRef } from "./context";
import { initialThinking, thinkingReducer, type ThinkingState } from "./thinking";

export interface UserTurn {
  id: number;
  role: "user";
  content: string;
}

export type AssistantStatus = "streaming" | "done" | "failed";

export interface AssistantTurn {
  id: number;
  role: "assistant";
  content: string;
  thinking: ThinkingState;
  stats: Stats | null;
  finish: FinishReason | null;
  error: ErrorPayload | null;
  status: AssistantStatus;
  /** What the request for this answer held: `sent[i]` is the turn id of `messages[i]` (null: system). */
  sent: readonly SentRef[];
  /** How the prompt fitted the context (the stream's first event), once known. */
  context: ContextBudget | null;
  /** Ids of the turns the backend left out of this answer's prompt, oldest first. */
  droppedTurnIds: number[];
}

export type Turn = UserTurn | AssistantTurn;

let nextId = 1;
export function newId(): number {
  return nextId++;
}

export function userTurn(content: string): UserTurn {
  return { id: newId(), role: "user", content };
}

/** A new, streaming answer. `sent` describes the messages sent for it (see `toRequest`). */
export function assistantTurn(sent: readonly SentRef[] = []): AssistantTurn {
  return {
    id: newId(),
    role: "assistant",
    content: "",
    thinking: initialThinking,
    stats: null,
    finish: null,
    error: null,
    status: "streaming",
    sent,
    context: null,
    droppedTurnIds: [],
  };
}

/** Fold one streamed event into the assistant turn. `at` is a ms timestamp. */
export function applyChatEvent(m: AssistantTurn, ev: ChatEvent, at: number): AssistantTurn {
  switch (ev.type) {
    case "context": {
      const { type: _t, ...context } = ev;
      return { ...m, context, droppedTurnIds: droppedTurnIds(m.sent, context.dropped) };
    }
    case "reasoning":
      if (!ev.text) return m;
      return { ...m, thinking: thinkingReducer(m.thinking, { type: "reasoning", text: ev.text, at }) };
    case "content":
      if (!ev.text) return m;
      return {
        ...m,
        content: m.content + ev.text,
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

export interface ChatRequestMessages {
  /** Exactly what goes to `send_message`. */
  messages: ChatMessage[];
  /** `sent[i]`: the turn id `messages[i]` came from, or null for the system message. */
  sent: SentRef[];
}

/**
 * The messages sent to the backend, and where each came from: an optional
 * system message first, then user turns and non-empty answers, no reasoning.
 * The backend's `dropped` indices point into `messages`; `sent` maps them back.
 */
export function toRequest(turns: readonly Turn[], system: string | null = null): ChatRequestMessages {
  const messages: ChatMessage[] = [];
  const sent: SentRef[] = [];
  if (system !== null && system.trim()) {
    messages.push({ role: "system", content: system });
    sent.push(null);
  }
  for (const t of turns) {
    if (t.role === "user") messages.push({ role: "user", content: t.content });
    else if (t.content.trim()) messages.push({ role: "assistant", content: t.content });
    else continue;
    sent.push(t.id);
  }
  return { messages, sent };
}

/** The history sent to the backend: user turns and non-empty answers, no reasoning. */
export function toHistory(turns: readonly Turn[]): ChatMessage[] {
  return toRequest(turns).messages;
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

export function formatStats(s: Stats): string {
  const parts = [
    `TTFT ${Math.round(s.ttft_ms)} ms`,
    `${s.decode_tok_s.toFixed(1)} tok/s`,
    `${s.tokens} ${s.tokens === 1 ? "token" : "tokens"}`,
  ];
  const draft = draftAcceptancePercent(s);
  if (draft !== null) parts.push(`draft ${draft}% accepted`);
  if (s.device) parts.push(s.device);
  return parts.join(" · ");
}

export function formatStatsDetail(s: Stats): string {
  const draft = draftAcceptancePercent(s);
  return (
    `Prompt: ${s.prompt_tokens} tokens at ${s.prefill_tok_s.toFixed(1)} tok/s. ` +
    `Answer: ${s.tokens} tokens at ${s.decode_tok_s.toFixed(1)} tok/s. ` +
    `Time to first token: ${Math.round(s.ttft_ms)} ms.` +
    (draft !== null ? ` Speculative decoding: the target accepted ${draft}% of drafted tokens.` : "")
  );
}

export function finishNote(f: FinishReason | null): string | null {
  if (f === "cancelled") return "Stopped";
  if (f === "length") return "Reached the token limit";
  return null;
}
