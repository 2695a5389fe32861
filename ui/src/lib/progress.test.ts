import { describe, expect, it } from "vitest";
import { applyChatEvent, assistantTurn, type AssistantTurn } from "./chat";
import { setLang } from "./i18n.svelte";
import { clock, progressOf, progressText } from "./progress";

/** An answer asked for at t=0, with these chunks (kind, ms). */
function streamed(chunks: ["reasoning" | "content", number][]): AssistantTurn {
  return chunks.reduce((m, [type, at]) => applyChatEvent(m, { type, text: "x" }, at), assistantTurn(0));
}

describe("progress of a streaming answer", () => {
  it("says what the model is doing and since when", () => {
    expect(progressOf(streamed([]), 12_400)).toEqual({ phase: "reading", elapsed: "0:12", rate: null });
    expect(progressOf(streamed([["reasoning", 5000]]), 65_000)?.phase).toBe("thinking");
    expect(progressOf(streamed([["reasoning", 5000], ["content", 9000]]), 9000)?.phase).toBe("answering");
  });

  it("measures the speed from the first chunk on, once there are enough", () => {
    expect(progressOf(streamed([["content", 1000], ["content", 1500], ["content", 2000]]), 2000)?.rate).toBeNull();
    // 4 chunks, 3 gaps over 1.5 s after a 10 s prompt: 2 chunks per second, not 4 / 11.5.
    const p = progressOf(streamed([["content", 10_000], ["content", 10_500], ["content", 11_000], ["content", 11_500]]), 11_500);
    expect(p?.rate).toBeCloseTo(2);
  });

  it("shows nothing for a finished answer or one read from the history", () => {
    expect(progressOf({ ...streamed([["content", 10]]), status: "done" }, 20)).toBeNull();
    expect(progressOf(assistantTurn(), 20)).toBeNull();
  });

  it("formats the clock past a minute and an hour", () => {
    expect([clock(0), clock(59_999), clock(61_000), clock(3_723_000), clock(-5)]).toEqual(["0:00", "0:59", "1:01", "1:02:03", "0:00"]);
  });

  it("reads in both languages", () => {
    const p = { phase: "answering" as const, elapsed: "1:05", rate: 3.14 };
    expect(progressText(p)).toBe("Answering · 1:05 · 3.1 tok/s");
    setLang("zh");
    expect(progressText({ ...p, phase: "thinking", rate: null })).toBe("正在思考 · 1:05");
    setLang("en");
  });
});
