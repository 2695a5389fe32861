import { describe, expect, it } from "vitest";
import type { ParsedAnswer } from "./bindings/ParsedAnswer";
import { exportFileName, turnsFromStored } from "./consultation";
import type { AssistantTurn, UserTurn } from "./chat";
import { stored } from "../test/consult";

describe("turnsFromStored", () => {
  it("rebuilds turns: triage on questions, statuses, reasoning time, stats, errors, sections and dropped turns", () => {
    const budget = { limit: 4096, system_tokens: 100, history_tokens: 2000, message_tokens: 20, answer_room: 1976, dropped: [1, 2] };
    const parsed: ParsedAnswer = { sections: [{ kind: "summary", title: "Summary", body: "A2" }], follow_ups: ["More?"], structured: true };
    const turns = turnsFromStored(
      [
        stored({ id: 1, role: "system", content: "sys" }),
        stored({ id: 2, role: "user", content: "Q1", triage: { level: "urgent", rules: ["x"], advice: "Soon.", emergency_number: null, crisis_line: null } }),
        stored({ id: 3, role: "assistant", content: "A1", status: "stopped" }),
        stored({ id: 4, role: "user", content: "Q2", triage: null }),
        stored({
          id: 5,
          role: "assistant",
          content: "A2",
          reasoning: "hmm",
          reasoning_started_at: "2026-11-26T09:00:00Z",
          reasoning_ended_at: "2026-11-26T09:00:02.500Z",
          stats: { ttft_ms: 10, prefill_tok_s: 1, decode_tok_s: 2, prompt_tokens: 3, tokens: 4, reasoning_ms: null, device: "cpu", draft_acceptance: null, draft: null, model: "", quantization: null, prompt_version: "" },
          context_notice: { budget, dropped_message_ids: [2, 3] },
        }),
        stored({ id: 6, role: "user", content: "Q3" }),
        stored({ id: 7, role: "assistant", content: "", status: "error", error: { code: "GENERATION_FAILED", message: "boom" } }),
        stored({ id: 8, role: "assistant", content: "A4", status: "interrupted" }),
      ],
      // The backend parses finished answers only; an id no message has is ignored.
      [
        { message_id: 5, parsed },
        { message_id: 99, parsed },
      ],
    );
    expect(turns.map((t) => t.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant", "assistant"]);
    const [q1, a1, q2, a2, , a3, a4] = turns as [UserTurn, AssistantTurn, UserTurn, AssistantTurn, UserTurn, AssistantTurn, AssistantTurn];
    expect(q1.triage?.level).toBe("urgent");
    expect(q1.messageId).toBe(2);
    expect(q2.triage).toBeNull();
    expect(a1).toMatchObject({ status: "done", finish: "cancelled", messageId: 3 });
    expect(a2).toMatchObject({ status: "done", finish: "stop", context: budget });
    expect(a2.droppedTurnIds).toEqual([q1.id, a1.id]);
    expect(a2.thinking.phase).toBe("collapsed");
    expect(a2.thinking.measuredMs).toBe(2500);
    expect(a2.stats?.tokens).toBe(4);
    expect(a3).toMatchObject({ status: "failed", error: { code: "GENERATION_FAILED", message: "boom" } });
    expect(a4.status).toBe("interrupted");
    expect(a1.thinking.phase).toBe("idle");

    // The sections go on the answer the backend parsed them for, and nowhere else.
    expect(a2.parsed).toEqual(parsed);
    expect(turns.filter((t) => t.role === "assistant" && t.parsed).map((t) => t.content)).toEqual(["A2"]);
  });

  it("a notice naming messages no longer stored marks only the turns that are there", () => {
    const budget = { limit: 4096, system_tokens: 100, history_tokens: 2000, message_tokens: 20, answer_room: 1976, dropped: [1, 2, 3] };
    const turns = turnsFromStored(
      [
        stored({ id: 4, role: "user", content: "Q2" }),
        stored({ id: 5, role: "assistant", content: "A2", context_notice: { budget, dropped_message_ids: [2, 3, 4] } }),
      ],
      [],
    );
    const [q2, a2] = turns as [UserTurn, AssistantTurn];
    expect(a2.droppedTurnIds).toEqual([q2.id]);
    expect(a2.parsed).toBeNull();
  });
});

describe("exportFileName", () => {
  it("uses the title without characters file systems refuse", () => {
    expect(exportFileName("Headache / fever: day 3?", "consultation")).toBe("Headache fever day 3.md");
    expect(exportFileName("  ", "consultation")).toBe("consultation.md");
    expect(exportFileName("头痛", "问诊记录")).toBe("头痛.md");
  });
});
