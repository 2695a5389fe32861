/**
 * A stored consultation as the conversation view's turns. The stored JSON columns (stats,
 * error, context notice, triage) arrive typed: the backend reads them as its own types, and
 * parses every finished answer into its sections (the view's `answers`).
 */
import type { AnswerVersion } from "./bindings/AnswerVersion";
import type { LiveAnswer } from "./bindings/LiveAnswer";
import type { AnswerSections } from "./bindings/AnswerSections";
import type { ContextNotice } from "./bindings/ContextNotice";
import type { FinishReason } from "./bindings/FinishReason";
import type { StoredMessage } from "./bindings/StoredMessage";
import { assistantTurn, userTurn, withContextNotice, type AssistantStatus, type AssistantTurn, type Turn } from "./chat";
import { storedThinking } from "./thinking";

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

/**
 * The view's turns for stored messages (system messages are not shown), with the sections the
 * backend parsed for finished answers (`answers`, by message id) and the red-flag cards of the
 * others (`live`).
 */
export function turnsFromStored(
  messages: readonly StoredMessage[],
  answers: readonly AnswerSections[],
  live: readonly LiveAnswer[] = [],
  versions: readonly AnswerVersion[] = [],
): Turn[] {
  let question: StoredMessage | null = null;
  const parsed = new Map(answers.map((a) => [a.message_id, a.parsed]));
  const cards = new Map(live.map((a) => [a.message_id, a.parts]));
  const turns: Turn[] = [];
  const notices: [number, ContextNotice][] = [];
  for (const m of messages) {
    if (m.role === "user") {
      question = m;
      turns.push(userTurn(m.content, m.id, m.triage, m.attachments));
    } else if (m.role === "assistant") {
      const stats = m.stats;
      const a: AssistantTurn = {
        ...assistantTurn(),
        ...statusOf(m),
        content: m.content,
        messageId: m.id,
        parsed: parsed.get(m.id) ?? null,
        liveParts: cards.get(m.id) ?? null,
        thinking: storedThinking(m.reasoning, m.reasoning_started_at, m.reasoning_ended_at, stats?.reasoning_ms ?? null),
        stats,
        error: m.status === "error" ? (m.error ?? { code: "UNKNOWN", message: "" }) : null,
        versions: versions
          .filter((v) => v.question_id === question?.id)
          .map((v) => ({ question: v.question, content: v.content, stats: v.stats, writtenAt: v.created_at })),
      };
      if (m.context_notice) notices.push([turns.length, m.context_notice]);
      turns.push(a);
    }
  }
  // Dropped turns are named by message id: map them once every turn is known.
  for (const [i, notice] of notices) turns[i] = withContextNotice(turns[i] as AssistantTurn, notice, turns);
  return turns;
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
