import { describe, expect, it } from "vitest";
import {
  contextDetail,
  contextLabel,
  contextLow,
  contextSegments,
  contextUsed,
  droppedNotice,
  droppedTurnIds,
  formatTokens,
} from "./context";

import { budget } from "../test/fixtures";

describe("droppedTurnIds", () => {
  // Turns as the view holds them: Q1 (message 11), A1 (12), Q2 (13), A2 (14), Q3 (15).
  const turns = [
    { id: 1, messageId: 11 },
    { id: 2, messageId: 12 },
    { id: 3, messageId: 13 },
    { id: 4, messageId: 14 },
    { id: 5, messageId: 15 },
  ];

  it("nothing dropped maps to nothing", () => {
    expect(droppedTurnIds(turns, [])).toEqual([]);
    expect(droppedTurnIds([], [])).toEqual([]);
  });

  it("maps the stored ids of the dropped messages to the turns that hold them", () => {
    expect(droppedTurnIds(turns, [11, 12])).toEqual([1, 2]);
    expect(droppedTurnIds(turns, [11, 12, 13, 14])).toEqual([1, 2, 3, 4]);
  });

  it("a lone question (its answer was empty, so never sent) maps to that question only", () => {
    expect(droppedTurnIds(turns, [11])).toEqual([1]);
    expect(droppedTurnIds(turns, [11, 13, 14])).toEqual([1, 3, 4]);
  });

  it("ignores ids no turn holds, turns not saved yet, and repeats", () => {
    expect(droppedTurnIds(turns, [99, -1])).toEqual([]);
    expect(droppedTurnIds([{ id: 1, messageId: null }, { id: 2, messageId: 12 }], [11, 12])).toEqual([2]);
    expect(droppedTurnIds(turns, [11, 11, 12])).toEqual([1, 2]);
  });

  it("keeps the backend's order (oldest first)", () => {
    expect(droppedTurnIds(turns, [13, 14, 11, 12])).toEqual([3, 4, 1, 2]);
  });
});

describe("meter formatting", () => {
  it("formats token counts with thousands separators", () => {
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(999)).toBe("999");
    expect(formatTokens(32768)).toBe("32,768");
    expect(formatTokens(1234567)).toBe("1,234,567");
    expect(formatTokens(-3)).toBe("0");
    expect(formatTokens(Number.NaN)).toBe("0");
  });

  it("labels used / limit and the room left for the answer", () => {
    expect(contextUsed(budget)).toBe(1234);
    expect(contextLabel(budget)).toBe("1,234 / 32,768 tokens · 31,534 left for the answer");
    expect(contextLabel({ ...budget, limit: 4096, history_tokens: 0, answer_room: 2048 })).toBe(
      "334 / 4,096 tokens · 2,048 left for the answer",
    );
  });

  it("segments add up to the whole bar, in order", () => {
    const segs = contextSegments(budget);
    expect(segs.map((s) => s.key)).toEqual(["system", "history", "message", "answer"]);
    expect(segs.map((s) => s.tokens)).toEqual([200, 900, 134, 31534]);
    expect(segs.reduce((a, s) => a + s.percent, 0)).toBeCloseTo(100);
    expect(segs[0].percent).toBeCloseTo((200 / 32768) * 100);
  });

  it("segments never overflow and survive a zero limit", () => {
    const over = contextSegments({ ...budget, limit: 1000 });
    expect(over.reduce((a, s) => a + s.percent, 0)).toBeCloseTo(100);
    expect(contextSegments({ ...budget, limit: 0, system_tokens: 0, history_tokens: 0, message_tokens: 0, answer_room: 0 }).every((s) => s.percent === 0)).toBe(true);
  });

  it("the tooltip lists every segment with its number", () => {
    expect(contextDetail(budget)).toBe(
      [
        "Context: 1,234 of 32,768 tokens used",
        "System prompt and patient context: 200",
        "Earlier turns: 900",
        "New message: 134",
        "Left for the answer (thinking included): 31,534",
      ].join("\n"),
    );
    expect(contextDetail({ ...budget, dropped: [0, 1] })).toContain(
      "\n2 earlier messages were left out to fit the model's context.",
    );
  });

  it("flags little room left", () => {
    expect(contextLow(budget)).toBe(false);
    expect(contextLow({ ...budget, answer_room: 3000 })).toBe(true);
    expect(contextLow({ ...budget, limit: 0, answer_room: 0 })).toBe(false);
  });

  it("the dropped notice counts messages", () => {
    expect(droppedNotice(1)).toBe("1 earlier message was left out to fit the model's context.");
    expect(droppedNotice(2)).toBe("2 earlier messages were left out to fit the model's context.");
  });
});
