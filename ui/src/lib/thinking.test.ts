import { describe, expect, it } from "vitest";
import {
  formatThinkingDuration,
  hasPanel,
  initialThinking,
  isOpen,
  thinkingDurationMs,
  thinkingLabel,
  thinkingReducer as r,
  type ThinkingAction,
  type ThinkingState,
} from "./thinking";

function run(actions: ThinkingAction[], from: ThinkingState = initialThinking): ThinkingState {
  return actions.reduce(r, from);
}

describe("thinking panel state machine", () => {
  it("starts idle with no panel", () => {
    expect(hasPanel(initialThinking)).toBe(false);
    expect(thinkingLabel(initialThinking)).toBe("");
  });

  it("opens and streams the live trace while reasoning arrives", () => {
    const s = run([
      { type: "reasoning", text: "The patient ", at: 1000 },
      { type: "reasoning", text: "reports fever.", at: 1500 },
    ]);
    expect(s.phase).toBe("streaming");
    expect(s.live).toBe(true);
    expect(isOpen(s)).toBe(true);
    expect(s.text).toBe("The patient reports fever.");
    expect(thinkingLabel(s)).toBe("Thinking…");
    expect(thinkingDurationMs(s)).toBeNull();
  });

  it("auto-collapses on the first content token and reports the duration", () => {
    const s = run([
      { type: "reasoning", text: "a", at: 1000 },
      { type: "reasoning", text: "b", at: 4000 },
      { type: "content", at: 4100 },
    ]);
    expect(s.phase).toBe("collapsed");
    expect(s.live).toBe(false);
    expect(isOpen(s)).toBe(false);
    expect(thinkingDurationMs(s)).toBe(3000);
    expect(thinkingLabel(s)).toBe("Thought for 3 s");
  });

  it("further content does not reopen or change the panel", () => {
    const collapsed = run([
      { type: "reasoning", text: "a", at: 0 },
      { type: "content", at: 10 },
    ]);
    expect(r(collapsed, { type: "content", at: 20 })).toBe(collapsed);
  });

  it("toggles expanded/collapsed after reasoning is done", () => {
    const collapsed = run([
      { type: "reasoning", text: "a", at: 0 },
      { type: "reasoning", text: "b", at: 2000 },
      { type: "content", at: 2100 },
    ]);
    const expanded = r(collapsed, { type: "toggle" });
    expect(expanded.phase).toBe("expanded");
    expect(isOpen(expanded)).toBe(true);
    expect(thinkingLabel(expanded)).toBe("Thought for 2 s");
    const again = r(expanded, { type: "toggle" });
    expect(again.phase).toBe("collapsed");
  });

  it("lets the user close and reopen the panel while it is still streaming", () => {
    const streaming = run([{ type: "reasoning", text: "a", at: 0 }]);
    const closed = r(streaming, { type: "toggle" });
    expect(closed.phase).toBe("collapsed");
    expect(closed.live).toBe(true);
    expect(thinkingLabel(closed)).toBe("Thinking…");
    const closedMore = r(closed, { type: "reasoning", text: "b", at: 500 });
    expect(closedMore.phase).toBe("collapsed");
    expect(closedMore.text).toBe("ab");
    expect(r(closedMore, { type: "toggle" }).phase).toBe("streaming");
    // content while closed keeps it closed and ends reasoning
    const done = r(closedMore, { type: "content", at: 600 });
    expect(done.phase).toBe("collapsed");
    expect(done.live).toBe(false);
  });

  it("prefers the backend's reasoning_ms over the client-side measurement", () => {
    const s = run([
      { type: "reasoning", text: "a", at: 0 },
      { type: "reasoning", text: "b", at: 1000 },
      { type: "content", at: 1200 },
      { type: "stats", reasoningMs: 5400 },
    ]);
    expect(thinkingLabel(s)).toBe("Thought for 5 s");
  });

  it("ignores a null reasoning_ms", () => {
    const s = run([
      { type: "reasoning", text: "a", at: 0 },
      { type: "reasoning", text: "b", at: 7600 },
      { type: "content", at: 7700 },
      { type: "stats", reasoningMs: null },
    ]);
    expect(thinkingLabel(s)).toBe("Thought for 8 s");
  });

  it("no reasoning at all produces no panel", () => {
    const s = run([
      { type: "content", at: 0 },
      { type: "content", at: 5 },
      { type: "stats", reasoningMs: null },
      { type: "end", at: 10 },
      { type: "toggle" },
    ]);
    expect(hasPanel(s)).toBe(false);
    expect(s.phase).toBe("idle");
    expect(thinkingDurationMs(s)).toBeNull();
  });

  it("stopping mid-reasoning ends collapsed with a duration", () => {
    const s = run([
      { type: "reasoning", text: "Differential: ", at: 100 },
      { type: "reasoning", text: "pneumonia vs", at: 2600 },
      { type: "end", at: 2650 },
    ]);
    expect(s.phase).toBe("collapsed");
    expect(s.live).toBe(false);
    expect(hasPanel(s)).toBe(true);
    expect(s.text).toBe("Differential: pneumonia vs");
    expect(thinkingLabel(s)).toBe("Thought for 3 s");
  });

  it("single short reasoning burst shows <1 s", () => {
    const s = run([
      { type: "reasoning", text: "ok", at: 0 },
      { type: "content", at: 50 },
    ]);
    expect(thinkingLabel(s)).toBe("Thought for <1 s");
  });

  it("formats durations", () => {
    expect(formatThinkingDuration(0)).toBe("Thought for <1 s");
    expect(formatThinkingDuration(999)).toBe("Thought for <1 s");
    expect(formatThinkingDuration(1000)).toBe("Thought for 1 s");
    expect(formatThinkingDuration(1499)).toBe("Thought for 1 s");
    expect(formatThinkingDuration(2500)).toBe("Thought for 3 s");
    expect(formatThinkingDuration(61_000)).toBe("Thought for 61 s");
  });
});
