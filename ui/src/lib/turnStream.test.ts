import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ConsultEvent } from "./bindings/ConsultEvent";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ParsedAnswer } from "./bindings/ParsedAnswer";
import type { Triage } from "./bindings/Triage";
import { assistantTurn, userTurn, type AssistantTurn, type Turn } from "./chat";
import * as ipc from "./ipc";
import { TurnStream, type TurnStreamHost } from "./turnStream.svelte";

vi.mock("./ipc", async (actual) => ({
  ...(await actual<typeof import("./ipc")>()),
  consultSend: vi.fn(),
  consultEdit: vi.fn(),
  consultRegenerate: vi.fn(),
  stopGeneration: vi.fn(),
}));

const send = vi.mocked(ipc.consultSend);
const edit = vi.mocked(ipc.consultEdit);
const regenerate = vi.mocked(ipc.consultRegenerate);

const emergency: Triage = {
  level: "emergency",
  rules: ["chest_pain_cardiac"],
  advice: "Call 911 now.",
  emergency_number: "911",
  crisis_line: null,
};
const parsed: ParsedAnswer = { sections: [], follow_ups: [], structured: false };

function host(over: Partial<TurnStreamHost> = {}) {
  const seen = { errors: [] as ErrorPayload[], titles: [] as string[], settled: 0, generating: [] as boolean[] };
  const h: TurnStreamHost = {
    onError: (e) => seen.errors.push(e),
    onTitled: (t) => seen.titles.push(t),
    onSettled: () => (seen.settled += 1),
    onGenerating: (g) => seen.generating.push(g),
    ...over,
  };
  return { h, seen };
}

const lastAnswer = (turns: Turn[]) => turns[turns.length - 1] as AssistantTurn;

/** A backend turn: these events, then the command's result, then (unless `finished` is false) the last event. */
function streams(events: ConsultEvent[], opts: { resultFirst?: boolean; fail?: ErrorPayload } = {}) {
  return (_id: number, ...rest: unknown[]): Promise<void> => {
    const on = rest[rest.length - 1] as (ev: ConsultEvent) => void;
    for (const ev of events) on(ev);
    if (opts.fail) return Promise.reject(opts.fail);
    if (opts.resultFirst) {
      // Tauri: the command's result can overtake the channel's last events.
      setTimeout(() => {
        on({ type: "chat", event: { type: "content", text: " late" } });
        on({ type: "chat", event: { type: "done", finish_reason: "stop" } });
        on({ type: "finished" });
      }, 30);
      return Promise.resolve();
    }
    on({ type: "finished" });
    return Promise.resolve();
  };
}

beforeEach(() => vi.clearAllMocks());

describe("a streamed turn", () => {
  it("shows the triage before any token, then the saved ids, the title, the text and the sections", async () => {
    const { h, seen } = host();
    const s = new TurnStream([], h);
    const snapshots: Turn[][] = [];
    send.mockImplementation((_id, _text, _attachments, on) => {
      on({ type: "triage", triage: emergency });
      snapshots.push(s.turns);
      on({ type: "saved", user_message_id: 7, assistant_message_id: 8 });
      on({ type: "titled", title: "Chest pain" });
      on({ type: "chat", event: { type: "content", text: "Call now." } });
      on({ type: "chat", event: { type: "done", finish_reason: "stop" } });
      on({ type: "finished" });
      // After the stream: the backend's sections of an answer that ended on its own.
      on({ type: "parsed", parsed });
      return Promise.resolve();
    });
    expect(await s.send(3, "crushing chest pain")).toBe(true);
    expect(send).toHaveBeenCalledWith(3, "crushing chest pain", [], expect.any(Function));
    // The banner's data was on screen before the first token.
    expect(snapshots[0][0]).toMatchObject({ role: "user", triage: emergency });
    const [question, answer] = s.turns;
    expect(question).toMatchObject({ role: "user", content: "crushing chest pain", messageId: 7 });
    expect(answer).toMatchObject({ role: "assistant", content: "Call now.", messageId: 8, status: "done", parsed });
    expect(seen.titles).toEqual(["Chest pain"]);
    expect(seen.generating).toEqual([true, false]);
    expect(seen.settled).toBe(1);
    expect(s.generating).toBe(false);
  });

  it("keeps the text that arrives after the command's result", async () => {
    const { h } = host();
    const s = new TurnStream([], h);
    send.mockImplementation(streams([{ type: "chat", event: { type: "content", text: "Early" } }], { resultFirst: true }));
    await s.send(1, "q");
    expect(lastAnswer(s.turns)).toMatchObject({ content: "Early late", status: "done", finish: "stop" });
  });

  it("a command that fails says so once and marks the answer failed", async () => {
    const { h, seen } = host();
    const s = new TurnStream([], h);
    const err: ErrorPayload = { code: "NOT_LOADED", message: "no model is loaded" };
    send.mockImplementation(streams([], { fail: err }));
    // Not saved: the composer keeps the question's documents.
    expect(await s.send(1, "q")).toBe(false);
    expect(seen.errors).toEqual([err]);
    expect(lastAnswer(s.turns)).toMatchObject({ status: "failed", error: err });
  });

  it("sends the question's documents with it and shows them on it; a failure after the save says it was saved", async () => {
    const { h } = host();
    const s = new TurnStream([], h);
    const labs = { name: "labs.txt", kind: "text" as const, text: "Hb 13.1", bytes: 7, pages: null };
    const err: ErrorPayload = { code: "GENERATION_FAILED", message: "boom" };
    send.mockImplementation(streams([{ type: "saved", user_message_id: 5, assistant_message_id: 6 }], { fail: err }));
    expect(await s.send(2, "What is this?", [labs])).toBe(true);
    expect(send).toHaveBeenCalledWith(2, "What is this?", [labs], expect.any(Function));
    expect(s.turns[0]).toMatchObject({ role: "user", content: "What is this?", messageId: 5, attachments: [labs] });
  });

  it("an error event in the stream is reported once, not again with the command's failure", async () => {
    const { h, seen } = host();
    const s = new TurnStream([], h);
    const err: ErrorPayload = { code: "GENERATION_FAILED", message: "boom" };
    send.mockImplementation(streams([{ type: "chat", event: { type: "error", ...err } }], { fail: err }));
    await s.send(1, "q");
    expect(seen.errors).toEqual([err]);
    expect(lastAnswer(s.turns).status).toBe("failed");
  });

  it("hands the ended answer to onFinished once, after generating is over", async () => {
    const finished: { status: string; finish: string | null; content: string; generating: boolean }[] = [];
    const { h } = host({
      onFinished: (a) => finished.push({ status: a.status, finish: a.finish, content: a.content, generating: s.generating }),
    });
    const s = new TurnStream([], h);
    send.mockImplementation(streams([{ type: "chat", event: { type: "content", text: "Early" } }], { resultFirst: true }));
    await s.send(1, "q");
    expect(finished).toEqual([{ status: "done", finish: "stop", content: "Early late", generating: false }]);

    const err: ErrorPayload = { code: "NOT_LOADED", message: "no model is loaded" };
    send.mockImplementation(streams([], { fail: err }));
    await s.send(1, "q");
    expect(finished.map((f) => f.status)).toEqual(["done", "failed"]);
  });

  it("waits for the pending saves before it asks", async () => {
    const order: string[] = [];
    let release = () => {};
    const pending = new Promise<void>((r) => (release = r));
    const { h } = host({ before: () => pending.then(() => void order.push("saved")) });
    const s = new TurnStream([], h);
    send.mockImplementation((_id, _t, _a, on) => {
      order.push("asked");
      on({ type: "finished" });
      return Promise.resolve();
    });
    const done = s.send(1, "q");
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    release();
    await done;
    expect(order).toEqual(["saved", "asked"]);
  });

  it("an edit keeps the question's place and drops every later turn; a regenerate replaces the last answer", async () => {
    const { h } = host();
    const q1 = userTurn("first", 1);
    const a1: AssistantTurn = { ...lastAnswerOf("one"), messageId: 2 };
    const q2 = userTurn("second", 3);
    const a2: AssistantTurn = { ...lastAnswerOf("two"), messageId: 4 };
    const s = new TurnStream([q1, a1, q2, a2], h);
    edit.mockImplementation(streams([{ type: "chat", event: { type: "content", text: "edited answer" } }]));
    await s.edit(9, q1.id, "first, edited");
    expect(edit).toHaveBeenCalledWith(9, 1, "first, edited", expect.any(Function));
    expect(s.turns.map((t) => t.content)).toEqual(["first, edited", "edited answer"]);
    expect(s.turns[0].id).toBe(q1.id);

    regenerate.mockImplementation(streams([{ type: "chat", event: { type: "content", text: "again" } }]));
    await s.regenerate(9);
    expect(s.turns.map((t) => t.content)).toEqual(["first, edited", "again"]);
  });

  it("a second send while one streams is ignored, and settle waits for the first to be saved", async () => {
    const { h } = host();
    const s = new TurnStream([], h);
    let finish = () => {};
    send.mockImplementation(
      (_id, _t, _a, on) =>
        new Promise<void>((resolve) => {
          finish = () => {
            on({ type: "chat", event: { type: "done", finish_reason: "cancelled" } });
            on({ type: "finished" });
            resolve();
          };
        }),
    );
    vi.mocked(ipc.stopGeneration).mockImplementation(() => Promise.resolve(finish()));
    const first = s.send(1, "q");
    await s.send(1, "again");
    await new Promise((r) => setTimeout(r, 0));
    expect(send).toHaveBeenCalledTimes(1);
    expect(s.generating).toBe(true);
    await s.settle();
    await first;
    expect(ipc.stopGeneration).toHaveBeenCalledTimes(1);
    expect(s.generating).toBe(false);
    expect(s.turns).toHaveLength(2);
    expect(lastAnswer(s.turns).finish).toBe("cancelled");
  });
});

function lastAnswerOf(content: string): AssistantTurn {
  return { ...assistantTurn(), content, status: "done", finish: "stop" };
}
