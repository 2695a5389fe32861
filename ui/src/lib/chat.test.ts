import { describe, expect, it } from "vitest";
import type { ChatEvent } from "./bindings/ChatEvent";
import type { ContextBudget } from "./bindings/ContextBudget";
import type { Triage } from "./bindings/Triage";
import {
  applyChatEvent,
  assistantTurn,
  finalizeTurn,
  finishNote,
  foldedAnswers,
  formatStats,
  formatStatsDetail,
  latestEmergency,
  latestWithContext,
  userTurn,
  withContextNotice,
  type AssistantTurn,
} from "./chat";
import { hasPanel, thinkingLabel } from "./thinking";

const stats: ChatEvent = {
  type: "stats",
  ttft_ms: 120.4,
  prefill_tok_s: 900,
  decode_tok_s: 42.12,
  prompt_tokens: 30,
  tokens: 128,
  reasoning_ms: 3200,
  device: "cpu",
  draft_acceptance: null,
  draft: null,
  model: "",
  quantization: null,
  prompt_version: "",
};

function fold(events: ChatEvent[]): AssistantTurn {
  let t = 0;
  return events.reduce((m, e) => applyChatEvent(m, e, (t += 100)), assistantTurn());
}

describe("applyChatEvent", () => {
  it("accumulates reasoning and content, then stats and done", () => {
    const m = fold([
      { type: "reasoning", text: "Think " },
      { type: "reasoning", text: "hard." },
      { type: "content", text: "Hello" },
      { type: "content", text: " world" },
      stats,
      { type: "done", finish_reason: "stop" },
    ]);
    expect(m.content).toBe("Hello world");
    expect(m.thinking.text).toBe("Think hard.");
    expect(m.thinking.phase).toBe("collapsed");
    expect(thinkingLabel(m.thinking)).toBe("Thought for 3 s");
    expect(m.stats?.tokens).toBe(128);
    expect(m.status).toBe("done");
    expect(m.finish).toBe("stop");
  });

  it("an error event marks the turn failed but keeps partial text", () => {
    const m = fold([
      { type: "content", text: "Partial" },
      { type: "error", code: "GENERATION_FAILED", message: "boom" },
      { type: "done", finish_reason: "error" },
    ]);
    expect(m.status).toBe("failed");
    expect(m.content).toBe("Partial");
    expect(m.error).toEqual({ code: "GENERATION_FAILED", message: "boom" });
    expect(hasPanel(m.thinking)).toBe(false);
  });

  it("finalizeTurn closes a stream that rejected without done", () => {
    const m = finalizeTurn(fold([{ type: "reasoning", text: "x" }]), 5000, { code: "GENERATION_FAILED", message: "m" });
    expect(m.status).toBe("failed");
    expect(m.thinking.live).toBe(false);
    expect(m.error?.code).toBe("GENERATION_FAILED");
  });
});

describe("helpers", () => {
  it("formats the stats line", () => {
    const { type: _t, ...s } = stats;
    expect(formatStats(s)).toBe("TTFT 120 ms · 42.1 tok/s · 128 tokens · cpu");
    expect(formatStatsDetail(s)).not.toContain("Speculative");
  });

  it("adds the draft acceptance to the stats line when speculative decoding is on", () => {
    const { type: _t, ...s } = stats;
    const spec = { ...s, device: "cuda:0", draft_acceptance: 0.8712 };
    expect(formatStats(spec)).toBe("TTFT 120 ms · 42.1 tok/s · 128 tokens · draft 87% accepted · cuda:0");
    expect(formatStatsDetail(spec)).toContain("accepted 87% of drafted tokens");
    expect(formatStats({ ...spec, draft_acceptance: 0 })).toContain("· draft 0% accepted ·");
    expect(formatStats({ ...spec, draft_acceptance: 1 })).toContain("· draft 100% accepted ·");
    expect(formatStats({ ...spec, draft_acceptance: 0.996 })).toContain("· draft 100% accepted ·");
    expect(formatStats({ ...spec, draft_acceptance: 0.5 })).toContain("draft 50% accepted");
    expect(formatStats({ ...spec, draft_acceptance: Number.NaN })).toBe("TTFT 120 ms · 42.1 tok/s · 128 tokens · cuda:0");
    const off = {
      gamma: 0,
      speculative_share: 0.06,
      predicted_speedup: 0.7,
      best_speedup: 0.8,
      verdict: "never_pays" as const,
      plain_step_ms: 40,
      draft_step_ms: 41,
      verify_extra_ms: 12,
    };
    expect(formatStats({ ...spec, draft: off })).toContain("draft off (does not pay here)");
    expect(formatStats({ ...spec, draft: off })).not.toContain("accepted");
    expect(formatStatsDetail({ ...spec, draft: off })).toContain("switched off");
    expect(formatStatsDetail({ ...spec, draft: off })).toContain("about 0.80× the speed of the model alone");
    expect(formatStatsDetail({ ...spec, draft: { ...off, best_speedup: null } })).not.toContain("every drafted token");
    expect(formatStats({ ...spec, draft: { ...off, gamma: 4, verdict: "pays" } })).toContain("draft 87% accepted");
  });

  it("finish notes", () => {
    expect(finishNote("cancelled")).toBe("Stopped");
    expect(finishNote("length")).toBe("The answer reached its length limit");
    expect(finishNote("stop")).toBeNull();
  });

  it("new turns start unsaved, without triage or sections", () => {
    expect(userTurn("Q")).toMatchObject({ role: "user", content: "Q", messageId: null, triage: null });
    expect(userTurn("Q", 7).messageId).toBe(7);
    expect(assistantTurn()).toMatchObject({ messageId: null, parsed: null, status: "streaming" });
  });
});

describe("context budget", () => {
  const budget: ContextBudget = {
    limit: 4096,
    system_tokens: 0,
    history_tokens: 300,
    message_tokens: 20,
    answer_room: 3776,
    dropped: [1, 2],
  };

  it("the notice is stored on the turn with the dropped messages mapped to their turns", () => {
    const q1 = userTurn("Q1", 11);
    const a1: AssistantTurn = { ...fold([{ type: "content", text: "A1" }, { type: "done", finish_reason: "stop" }]), messageId: 12 };
    const q2 = userTurn("Q2", 13);
    const m = withContextNotice(assistantTurn(), { budget, dropped_message_ids: [11, 12] }, [q1, a1, q2]);
    expect(m.context).toEqual(budget);
    expect(m.droppedTurnIds).toEqual([q1.id, a1.id]);
    expect(m.status).toBe("streaming");

    // The rest of the stream leaves it alone.
    const done = [{ type: "content", text: "Hi" }, stats, { type: "done", finish_reason: "stop" }] as ChatEvent[];
    const end = done.reduce((t, e) => applyChatEvent(t, e, 1), m);
    expect(end.context).toEqual(budget);
    expect(end.droppedTurnIds).toEqual([q1.id, a1.id]);
  });

  it("a context ChatEvent changes nothing: a consultation's budget comes as a notice", () => {
    const m = applyChatEvent(assistantTurn(), { type: "context", ...budget }, 0);
    expect(m.context).toBeNull();
    expect(m.droppedTurnIds).toEqual([]);
  });

  it("no dropped messages, no context: nothing to mark", () => {
    const q1 = userTurn("Q1", 11);
    const m = withContextNotice(assistantTurn(), { budget: { ...budget, dropped: [] }, dropped_message_ids: [] }, [q1]);
    expect(m.context?.limit).toBe(4096);
    expect(m.droppedTurnIds).toEqual([]);
    expect(assistantTurn().context).toBeNull();
  });

  it("latestWithContext finds the newest answer with a budget", () => {
    const q1 = userTurn("Q1", 11);
    const a1 = withContextNotice(assistantTurn(), { budget, dropped_message_ids: [] }, [q1]);
    const q2 = userTurn("Q2");
    const a2 = assistantTurn(); // streaming, no context yet
    expect(latestWithContext([])).toBeNull();
    expect(latestWithContext([q1, assistantTurn()])).toBeNull();
    expect(latestWithContext([q1, a1, q2, a2])?.id).toBe(a1.id);
    const a2b = withContextNotice(a2, { budget: { ...budget, limit: 8192 }, dropped_message_ids: [] }, [q1, a1, q2]);
    expect(latestWithContext([q1, a1, q2, a2b])?.context.limit).toBe(8192);
  });
});

describe("emergencies across a consultation", () => {
  const triage = (level: Triage["level"], rules: string[] = ["x"], emergency_number: string | null = null): Triage => ({
    level,
    rules,
    advice: "",
    emergency_number,
    crisis_line: null,
  });

  it("latestEmergency is the last emergency, whatever routine or urgent turns came after", () => {
    const first = triage("emergency", ["chest_pain"], "911");
    const second = triage("emergency", ["model_red_flags"], "112");
    const q1 = userTurn("Q1", 1, first);
    const q2 = userTurn("Q2", 3, triage("routine"));
    const q3 = userTurn("Q3", 5, triage("urgent"));
    expect(latestEmergency([])).toBeNull();
    expect(latestEmergency([userTurn("Q", 1, triage("urgent")), assistantTurn()])).toBeNull();
    expect(latestEmergency([q1, assistantTurn(), q2, assistantTurn(), q3, assistantTurn()])).toBe(first);
    // The model's own red flags count too.
    expect(latestEmergency([q1, assistantTurn(), userTurn("Q4", 7, second), assistantTurn()])).toBe(second);
  });

  it("foldedAnswers: the answers to a question a rule found an emergency, not the model's own", () => {
    const q1 = userTurn("Q1", 1, triage("emergency"));
    const a1 = assistantTurn();
    const q2 = userTurn("Q2", 3, triage("routine"));
    const a2 = assistantTurn();
    const q3 = userTurn("Q3", 5, triage("emergency", ["model_red_flags"]));
    const a3 = assistantTurn();
    const q4 = userTurn("Q4", 7, triage("urgent"));
    const a4 = assistantTurn();
    expect([...foldedAnswers([q1, a1, q2, a2, q3, a3, q4, a4])]).toEqual([a1.id]);
    expect(foldedAnswers([userTurn("Q"), assistantTurn()]).size).toBe(0);
  });
});
