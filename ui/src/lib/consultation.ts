/**
 * A stored consultation as the conversation view's turns. The stored JSON columns (stats,
 * error, context notice, triage) arrive typed: the backend reads them as its own types.
 */
import type { ContextNotice } from "./bindings/ContextNotice";
import type { FinishReason } from "./bindings/FinishReason";
import type { StoredMessage } from "./bindings/StoredMessage";
import { assistantTurn, userTurn, type AssistantStatus, type AssistantTurn, type Turn } from "./chat";
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

/** The view's turns for stored messages (system messages are not shown). */
export function turnsFromStored(messages: readonly StoredMessage[]): Turn[] {
  const turns: Turn[] = [];
  const byMessage = new Map<number, number>();
  const notices: [AssistantTurn, ContextNotice][] = [];
  for (const m of messages) {
    if (m.role === "user") {
      const u = userTurn(m.content, m.id, m.triage);
      byMessage.set(m.id, u.id);
      turns.push(u);
    } else if (m.role === "assistant") {
      const stats = m.stats;
      const notice = m.context_notice;
      const a: AssistantTurn = {
        ...assistantTurn(),
        ...statusOf(m),
        content: m.content,
        messageId: m.id,
        thinking: storedThinking(m.reasoning, m.reasoning_started_at, m.reasoning_ended_at, stats?.reasoning_ms ?? null),
        stats,
        error: m.status === "error" ? (m.error ?? { code: "ERROR", message: "" }) : null,
        context: notice?.budget ?? null,
      };
      byMessage.set(m.id, a.id);
      if (notice) notices.push([a, notice]);
      turns.push(a);
    }
  }
  // Dropped turns are named by message id: map them to the view's turn ids.
  for (const [a, notice] of notices) {
    a.droppedTurnIds = notice.dropped_message_ids.map((id) => byMessage.get(id)).filter((id): id is number => id !== undefined);
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
