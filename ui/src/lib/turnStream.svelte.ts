/**
 * The turns of one open consultation and the answer streaming into them: sending, editing and
 * regenerating, the backend's events folded into the turn, and stopping. The conversation view
 * only renders `turns` and calls these methods.
 */
import type { Attachment } from "./bindings/Attachment";
import type { ConsultEvent } from "./bindings/ConsultEvent";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ParsedAnswer } from "./bindings/ParsedAnswer";
import {
  applyChatEvent,
  assistantTurn,
  earlierAnswer,
  finalizeTurn,
  userTurn,
  withContextNotice,
  type AssistantTurn,
  type Turn,
  type UserTurn,
} from "./chat";
import { questionOf } from "./consultation";
import { eventsDrained, FAILED_WAIT_MS, FINISHED_WAIT_MS } from "./events";
import * as ipc from "./ipc";
import { thinkingReducer } from "./thinking";

/** One backend call that streams a turn's events into `onEvent`. */
export type TurnCall = (onEvent: (ev: ConsultEvent) => void) => Promise<void>;

export interface TurnStreamHost {
  onError: (e: ErrorPayload) => void;
  /** The backend named the consultation after its first question. */
  onTitled: (title: string) => void;
  /** A turn ended (saved, failed or stopped): what the history list shows may have changed. */
  onSettled: () => void;
  /** The answer as it ended (done, failed or stopped), once its stream is closed. */
  onFinished?: (answer: AssistantTurn) => void;
  onGenerating: (generating: boolean) => void;
  /** Where a turn starts: the consultation's pending saves (its thinking mode) come first. */
  before?: () => Promise<void>;
}

const raf: (cb: () => void) => number =
  typeof requestAnimationFrame === "function" ? requestAnimationFrame : (cb) => setTimeout(cb, 16) as unknown as number;
const caf: (id: number) => void =
  typeof cancelAnimationFrame === "function" ? cancelAnimationFrame : (id) => clearTimeout(id);

export class TurnStream {
  turns = $state.raw<Turn[]>([]);
  generating = $state(false);
  stopping = $state(false);

  // The assistant turn currently streaming. Events fold into it at once; `turns` is refreshed at
  // most once per animation frame, and at once for what must show before any token.
  private live: AssistantTurn | null = null;
  private frame = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    turns: Turn[],
    private readonly host: TurnStreamHost,
  ) {
    this.turns = turns;
  }

  /**
   * Asks `text`, with the documents `attachments`, at the end of consultation `id`. Resolves to
   * whether the question was saved (false: the turn failed before it began, nothing is stored).
   */
  send(id: number, text: string, attachments: Attachment[] = []): Promise<boolean> {
    if (this.generating) return Promise.resolve(false);
    const question = userTurn(text, null, null, attachments);
    const answer = assistantTurn(performance.now());
    this.turns = [...this.turns, question, answer];
    return this.run(question.id, answer, (on) => ipc.consultSend(id, text, attachments, on));
  }

  /**
   * Replaces the stored question of turn `turnId` with `text` (its documents stay); every later
   * turn goes, as in the store.
   */
  edit(id: number, turnId: number, text: string): Promise<boolean> {
    if (this.generating) return Promise.resolve(false);
    const i = this.turns.findIndex((x) => x.id === turnId);
    const old = this.turns[i];
    if (!old || old.role !== "user" || old.messageId === null) return Promise.resolve(false);
    const messageId = old.messageId;
    const question: UserTurn = { ...old, content: text, triage: null };
    // As the store does: the answer the question had is kept, the turns after it are not.
    const before = this.turns[i + 1];
    const kept = earlierAnswer(before, old.content);
    const answer: AssistantTurn = {
      ...assistantTurn(performance.now()),
      versions: [...(before?.role === "assistant" ? before.versions : []), ...(kept ? [kept] : [])],
    };
    this.turns = [...this.turns.slice(0, i), question, answer];
    return this.run(question.id, answer, (on) => ipc.consultEdit(id, messageId, text, on));
  }

  /** Answers the last question again, in place of the last answer. */
  regenerate(id: number): Promise<boolean> {
    const last = this.turns[this.turns.length - 1];
    if (this.generating || !last || last.role !== "assistant") return Promise.resolve(false);
    const question = questionOf(this.turns, last.id);
    // Same stored message, answered again in place; the answer it had is kept to compare.
    const kept = earlierAnswer(last, question?.content ?? "");
    const answer: AssistantTurn = {
      ...assistantTurn(performance.now()),
      messageId: last.messageId,
      versions: [...last.versions, ...(kept ? [kept] : [])],
    };
    this.turns = [...this.turns.slice(0, -1), answer];
    return this.run(question?.id ?? null, answer, (on) => ipc.consultRegenerate(id, on));
  }

  async stop(): Promise<void> {
    if (!this.generating || this.stopping) return;
    this.stopping = true;
    try {
      await ipc.stopGeneration();
    } catch (e) {
      this.stopping = false;
      this.host.onError(ipc.toErrorPayload(e));
    }
  }

  /** Stops any answer in progress and waits until it is saved: before switching away. */
  async settle(): Promise<void> {
    if (!this.generating) return;
    await this.stop();
    await this.inflight;
  }

  toggleThinking(turnId: number) {
    if (this.live && this.live.id === turnId) {
      this.live = { ...this.live, thinking: thinkingReducer(this.live.thinking, { type: "toggle" }) };
      this.flush();
      return;
    }
    this.turns = this.turns.map((x) =>
      x.id === turnId && x.role === "assistant" ? { ...x, thinking: thinkingReducer(x.thinking, { type: "toggle" }) } : x,
    );
  }

  private flush() {
    if (this.frame) caf(this.frame);
    this.frame = 0;
    const cur = this.live;
    if (!cur) return;
    this.turns = this.turns.map((x) => (x.id === cur.id ? cur : x));
  }

  private scheduleFlush() {
    if (!this.frame) this.frame = raf(() => this.flush());
  }

  private patchUser(id: number | null, patch: Partial<UserTurn>) {
    if (id === null) return;
    this.turns = this.turns.map((x) => (x.id === id && x.role === "user" ? { ...x, ...patch } : x));
  }

  /** The sections of an answer that ended on its own: on the streaming turn, or on its turn in the list. */
  private setParsed(answerId: number, parsed: ParsedAnswer) {
    if (this.live && this.live.id === answerId) {
      this.live = { ...this.live, parsed };
      this.flush();
    } else {
      // The stream already ended: the answer is in the list (or replaced, and nothing matches).
      this.turns = this.turns.map((x) => (x.id === answerId && x.role === "assistant" ? { ...x, parsed } : x));
    }
  }

  /** Folds one backend event into the streaming `answer` (asked by `questionId`). */
  private apply(questionId: number | null, answer: AssistantTurn, ev: ConsultEvent, failed: (e: ErrorPayload) => void) {
    if (ev.type === "parsed") {
      this.setParsed(answer.id, ev.parsed);
      return;
    }
    const live = this.live;
    if (!live || live.id !== answer.id) return;
    switch (ev.type) {
      case "triage":
        // Before any token: an emergency banner must not wait for the model.
        this.patchUser(questionId, { triage: ev.triage });
        this.flush();
        return;
      case "titled":
        this.host.onTitled(ev.title);
        return;
      case "saved":
        this.patchUser(questionId, { messageId: ev.user_message_id });
        this.live = { ...live, messageId: ev.assistant_message_id };
        this.flush();
        return;
      case "context":
        // Before any token: the meter and the turns left out, at once. Every turn on screen
        // knows its stored id by now (the question's came with `saved`).
        this.live = withContextNotice(live, ev.notice, this.turns);
        this.flush();
        return;
      case "live":
        // The backend's cut of the answer so far: red-flag cards among ranges of its text.
        this.live = { ...live, liveParts: ev.parts };
        this.scheduleFlush();
        return;
      case "chat": {
        const e = ev.event;
        this.live = applyChatEvent(live, e, performance.now());
        if (e.type === "error") failed({ code: e.code, message: e.message });
        if (e.type === "done" || e.type === "error") this.flush();
        else this.scheduleFlush();
      }
    }
  }

  /**
   * Streams one turn into `answer`: the triage of the question first, then the new title of an
   * untitled consultation, the saved ids, the context notice and the model's events; an answer
   * that ended on its own gets its sections last. Resolves to whether the backend saved the
   * turn (its `saved` event came).
   */
  private async run(questionId: number | null, answer: AssistantTurn, call: TurnCall): Promise<boolean> {
    this.live = answer;
    this.generating = true;
    this.stopping = false;
    this.host.onGenerating(true);
    let streamError: ErrorPayload | null = null;
    const failed = (e: ErrorPayload) => {
      streamError = e;
      this.host.onError(e);
    };
    // The result can overtake the channel's events (events.ts): the turn closes only after the
    // backend's `finished`.
    let finished = () => {};
    const finishedSeen = new Promise<void>((resolve) => (finished = resolve));
    let saved = false;
    const run = (async () => {
      try {
        await this.host.before?.();
        await call((ev) => {
          if (ev.type === "saved") saved = true;
          if (ev.type === "finished") finished();
          else this.apply(questionId, answer, ev, failed);
        });
        await eventsDrained(finishedSeen, FINISHED_WAIT_MS);
        if (this.live && this.live.id === answer.id) this.live = finalizeTurn(this.live, performance.now(), null);
      } catch (e) {
        // A turn that failed before it began sends nothing more: wait only briefly.
        await eventsDrained(finishedSeen, FAILED_WAIT_MS);
        const err = ipc.toErrorPayload(e);
        if (!streamError) this.host.onError(err);
        if (this.live && this.live.id === answer.id) this.live = finalizeTurn(this.live, performance.now(), err);
      } finally {
        this.flush();
        const ended = this.live && this.live.id === answer.id ? this.live : null;
        this.live = null;
        this.generating = false;
        this.stopping = false;
        this.host.onGenerating(false);
        if (ended) this.host.onFinished?.(ended);
      }
    })();
    this.inflight = run;
    await run;
    this.inflight = null;
    this.host.onSettled();
    return saved;
  }
}
