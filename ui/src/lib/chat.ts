/**
 * Conversation model and the pure reducer that folds streamed ChatEvents into
 * an assistant message.
 */
import type { ChatEvent } from "./bindings/ChatEvent";
import type { ChatMessage } from "./bindings/ChatMessage";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { FinishReason } from "./bindings/FinishReason";
import type { Stats } from "./bindings/Stats";
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
}

export type Turn = UserTurn | AssistantTurn;

let nextId = 1;
export function newId(): number {
  return nextId++;
}

export function userTurn(content: string): UserTurn {
  return { id: newId(), role: "user", content };
}

export function assistantTurn(): AssistantTurn {
  return {
    id: newId(),
    role: "assistant",
    content: "",
    thinking: initialThinking,
    stats: null,
    finish: null,
    error: null,
    status: "streaming",
  };
}

/** Fold one streamed event into the assistant turn. `at` is a ms timestamp. */
export function applyChatEvent(m: AssistantTurn, ev: ChatEvent, at: number): AssistantTurn {
  switch (ev.type) {
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

/** The history sent to the backend: user turns and non-empty answers, no reasoning. */
export function toHistory(turns: readonly Turn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const t of turns) {
    if (t.role === "user") out.push({ role: "user", content: t.content });
    else if (t.content.trim()) out.push({ role: "assistant", content: t.content });
  }
  return out;
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
