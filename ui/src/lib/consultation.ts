/**
 * A stored consultation as the conversation view's turns. The stored JSON columns (stats,
 * error, context notice, triage) are whatever the backend wrote: each is checked before use.
 */
import type { ContextBudget } from "./bindings/ContextBudget";
import type { DraftStats } from "./bindings/DraftStats";
import type { DraftVerdict } from "./bindings/DraftVerdict";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { FinishReason } from "./bindings/FinishReason";
import type { Stats } from "./bindings/Stats";
import type { StoredMessage } from "./bindings/StoredMessage";
import type { ThinkingMode } from "./bindings/ThinkingMode";
import type { Triage } from "./bindings/Triage";
import { assistantTurn, userTurn, type AssistantStatus, type AssistantTurn, type Turn } from "./chat";
import { storedThinking } from "./thinking";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function asTriage(v: unknown): Triage | null {
  if (!isObject(v) || !["routine", "urgent", "emergency"].includes(v.level as string)) return null;
  return {
    level: v.level as Triage["level"],
    rules: Array.isArray(v.rules) ? v.rules.filter((r): r is string => typeof r === "string") : [],
    advice: typeof v.advice === "string" ? v.advice : "",
    emergency_number: typeof v.emergency_number === "string" ? v.emergency_number : null,
    crisis_line: typeof v.crisis_line === "string" ? v.crisis_line : null,
  };
}

export function asStats(v: unknown): Stats | null {
  if (!isObject(v) || typeof v.ttft_ms !== "number" || typeof v.tokens !== "number") return null;
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : 0);
  return {
    ttft_ms: num(v.ttft_ms),
    prefill_tok_s: num(v.prefill_tok_s),
    decode_tok_s: num(v.decode_tok_s),
    prompt_tokens: num(v.prompt_tokens),
    tokens: num(v.tokens),
    reasoning_ms: typeof v.reasoning_ms === "number" ? v.reasoning_ms : null,
    device: typeof v.device === "string" ? v.device : "",
    draft_acceptance: typeof v.draft_acceptance === "number" ? v.draft_acceptance : null,
    draft: asDraftStats(v.draft),
  };
}

const DRAFT_VERDICTS: readonly string[] = ["measuring", "pays", "does_not_pay_now", "never_pays", "fixed"] satisfies DraftVerdict[];

function asDraftStats(v: unknown): DraftStats | null {
  if (!isObject(v) || typeof v.gamma !== "number" || !DRAFT_VERDICTS.includes(v.verdict as string)) return null;
  const opt = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  return {
    gamma: v.gamma,
    speculative_share: opt(v.speculative_share) ?? 0,
    predicted_speedup: opt(v.predicted_speedup),
    verdict: v.verdict as DraftVerdict,
    plain_step_ms: opt(v.plain_step_ms),
    draft_step_ms: opt(v.draft_step_ms),
    verify_extra_ms: opt(v.verify_extra_ms),
  };
}

const THINKING_MODES: readonly string[] = ["on", "off", "auto"] satisfies ThinkingMode[];

/** A consultation's stored thinking mode (a plain string in the binding); anything else reads "auto". */
export function asThinkingMode(v: unknown): ThinkingMode {
  return typeof v === "string" && THINKING_MODES.includes(v) ? (v as ThinkingMode) : "auto";
}

export function asError(v: unknown): ErrorPayload | null {
  if (!isObject(v)) return null;
  return { code: typeof v.code === "string" ? v.code : "ERROR", message: typeof v.message === "string" ? v.message : "" };
}

export interface ContextNotice {
  budget: ContextBudget;
  droppedMessageIds: number[];
}

export function asContextNotice(v: unknown): ContextNotice | null {
  if (!isObject(v) || !isObject(v.budget) || typeof v.budget.limit !== "number") return null;
  const b = v.budget;
  const n = (x: unknown) => (typeof x === "number" ? x : 0);
  return {
    budget: {
      limit: n(b.limit),
      system_tokens: n(b.system_tokens),
      history_tokens: n(b.history_tokens),
      message_tokens: n(b.message_tokens),
      answer_room: n(b.answer_room),
      dropped: Array.isArray(b.dropped) ? b.dropped.filter((x): x is number => typeof x === "number") : [],
    },
    droppedMessageIds: Array.isArray(v.dropped_message_ids)
      ? v.dropped_message_ids.filter((x): x is number => typeof x === "number")
      : [],
  };
}

function statusOf(m: StoredMessage): { status: AssistantStatus; finish: FinishReason | null } {
  switch (m.status) {
    case "complete":
      return { status: "done", finish: "stop" };
    case "stopped":
      return { status: "done", finish: "cancelled" };
    case "error":
      return { status: "failed", finish: "error" };
    // Nothing in this view writes it: an answer left streaming was cut off.
    case "streaming":
    case "interrupted":
      return { status: "interrupted", finish: null };
  }
}

/** The view's turns for stored messages (system messages are not shown). */
export function turnsFromStored(messages: readonly StoredMessage[]): Turn[] {
  const turns: Turn[] = [];
  const byMessage = new Map<number, number>();
  const notices: [AssistantTurn, ContextNotice][] = [];
  for (const m of messages) {
    if (m.role === "user") {
      const u = userTurn(m.content, m.id, asTriage(m.triage));
      byMessage.set(m.id, u.id);
      turns.push(u);
    } else if (m.role === "assistant") {
      const stats = asStats(m.stats);
      const notice = asContextNotice(m.context_notice);
      const a: AssistantTurn = {
        ...assistantTurn(),
        ...statusOf(m),
        content: m.content,
        messageId: m.id,
        thinking: storedThinking(m.reasoning, m.reasoning_started_at, m.reasoning_ended_at, stats?.reasoning_ms ?? null),
        stats,
        error: m.status === "error" ? asError(m.error) : null,
        context: notice?.budget ?? null,
      };
      byMessage.set(m.id, a.id);
      if (notice) notices.push([a, notice]);
      turns.push(a);
    }
  }
  // Dropped turns are named by message id: map them to the view's turn ids.
  for (const [a, notice] of notices) {
    a.droppedTurnIds = notice.droppedMessageIds.map((id) => byMessage.get(id)).filter((id): id is number => id !== undefined);
  }
  return turns;
}

/** A finished, whole answer gets sections and follow-up chips (a stopped one stays plain). */
export function wantsParse(turn: Turn): turn is AssistantTurn {
  return turn.role === "assistant" && turn.status === "done" && turn.finish !== "cancelled" && turn.content.trim() !== "" && turn.parsed === null;
}

/** The user turn an answer replies to: the nearest one before it. */
export function questionOf(turns: readonly Turn[], answerId: number): Turn | null {
  const i = turns.findIndex((t) => t.id === answerId);
  for (let j = i - 1; j >= 0; j--) if (turns[j].role === "user") return turns[j];
  return null;
}

/** A file name for the exported note: the title, without characters file systems refuse. */
export function exportFileName(title: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are among those refused in file names
  const base = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 80);
  return `${base || fallback}.md`;
}
