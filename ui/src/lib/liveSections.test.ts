import { describe, expect, it } from "vitest";
import { classify, heading, liveParts, saysNone, type LivePart } from "./liveSections";

/** What the streamed text shows after each chunk, as the UI folds them. */
function stream(chunks: string[]): (LivePart[] | null)[] {
  let text = "";
  return chunks.map((c) => liveParts((text += c), false));
}

const red = (parts: LivePart[] | null) => parts?.filter((p) => p.kind === "red_flags") ?? [];

describe("recognising section headings as the backend does", () => {
  it("classifies titles in both languages", () => {
    for (const [title, kind] of [
      ["Red flags", "red_flags"],
      ["🚩 RED FLAGS", "red_flags"],
      ["Warning signs:", "red_flags"],
      ["危险信号：", "red_flags"],
      ["一、危险信号", "red_flags"],
      ["1. Summary", "summary"],
      ["Most likely causes (ranked)", "causes"],
      ["最可能的原因（按可能性排序）", "causes"],
      ["When to Seek Medical Care", "seek_care"],
      ["Causesx", "other"],
      ["Background", "other"],
    ] as const) {
      expect(classify(title).kind, title).toBe(kind);
    }
  });

  it("reads ATX, bold and bare headings, and not list items or other bold text", () => {
    expect(heading("## Red flags")).toEqual({ kind: "red_flags", title: "Red flags", rest: null });
    expect(heading("##危险信号")).toEqual({ kind: "red_flags", title: "危险信号", rest: null });
    expect(heading("### Red flags ###")?.title).toBe("Red flags");
    expect(heading("**Red flags:** Call 911 now.")).toEqual({ kind: "red_flags", title: "Red flags", rest: "Call 911 now." });
    expect(heading("__危险信号__")?.kind).toBe("red_flags");
    expect(heading("危险信号：")).toEqual({ kind: "red_flags", title: "危险信号", rest: null });
    expect(heading("## Background")?.kind).toBe("other");
    expect(heading("**Important** red flags below")).toBeNull();
    expect(heading("- Red flags:")).toBeNull();
    expect(heading("Red flags are signs that something is seriously wrong and needs care")).toBeNull();
    expect(heading("##### Deep")).toBeNull();
  });

  it("knows a section that only says there are none", () => {
    expect(saysNone("None.")).toBe(true);
    expect(saysNone("- No red flags identified")).toBe(true);
    expect(saysNone("暂无明显危险信号。")).toBe(true);
    expect(saysNone("无法排除心肌梗死，请立即就医。")).toBe(false);
    expect(saysNone("- Sudden worst-ever headache")).toBe(false);
    // Still being written: it may yet turn into "None".
    expect(saysNone("No", true)).toBe(true);
    expect(saysNone("No", false)).toBe(false);
    expect(saysNone("暂", true)).toBe(true);
    expect(saysNone("- Crushing chest pain", true)).toBe(false);
  });
});

describe("the red-flag sections of a streaming answer", () => {
  it("is nothing special without a red-flag section", () => {
    expect(liveParts("## Summary\nA cold.\n## Next steps\nRest.", true)).toBeNull();
    expect(liveParts("Red flags are rare in a cold.", false)).toBeNull();
  });

  it("cuts the answer at the section, keeping the Markdown around it", () => {
    expect(liveParts("## Summary\nHeadache.\n\n## Red flags\n- Worst-ever headache\n\n## Next steps\nRest.", true)).toEqual([
      { kind: "markdown", markdown: "## Summary\nHeadache.\n" },
      { kind: "red_flags", title: "Red flags", body: "- Worst-ever headache" },
      { kind: "markdown", markdown: "## Next steps\nRest." },
    ]);
  });

  it("recognises a heading split across chunks once it is whole", () => {
    const seen = stream(["Intro.\n## Red f", "lags", "\n- Chest pain spreading", " to the arm\n## Summ", "ary\nLikely angina."]);
    expect(red(seen[0])).toEqual([]);
    // "## Red flags" before its newline: a heading, but nothing under it yet.
    expect(red(seen[1])).toEqual([]);
    expect(red(seen[2])).toEqual([{ kind: "red_flags", title: "Red flags", body: "- Chest pain spreading" }]);
    // The next heading, not yet finished, already ends the section.
    expect(seen[3]).toEqual([
      { kind: "markdown", markdown: "Intro." },
      { kind: "red_flags", title: "Red flags", body: "- Chest pain spreading to the arm" },
      { kind: "markdown", markdown: "## Summ" },
    ]);
    expect(seen[4]?.[2]).toEqual({ kind: "markdown", markdown: "## Summary\nLikely angina." });
  });

  it("once the card is up, it stays up however the text is cut", () => {
    const text = "## Red flags\n- Crushing chest pain: call 911 now.\n\n## Summary\nLikely a heart attack.\n";
    let shown = false;
    for (let k = 1; k <= text.length; k++) {
      const has = red(liveParts(text.slice(0, k), false)).length === 1;
      if (shown) expect(has, text.slice(0, k)).toBe(true);
      shown ||= has;
    }
    expect(shown).toBe(true);
  });

  it("a bold or bare heading counts only once its line is finished", () => {
    expect(liveParts("**Red flags:** Call 911 now", false)).toBeNull();
    expect(liveParts("**Red flags:** Call 911 now\n", false)).toEqual([{ kind: "red_flags", title: "Red flags", body: "Call 911 now" }]);
    expect(red(liveParts("**Red flags:** Call 911 now", true))).toHaveLength(1);
  });

  it("recognises Chinese headings", () => {
    expect(liveParts("## 概要\n头痛三天。\n## 危险信号\n- 突然剧烈头痛\n## 下一步\n休息。", true)).toEqual([
      { kind: "markdown", markdown: "## 概要\n头痛三天。" },
      { kind: "red_flags", title: "危险信号", body: "- 突然剧烈头痛" },
      { kind: "markdown", markdown: "## 下一步\n休息。" },
    ]);
    expect(red(liveParts("好的。\n\n危险信号：\n- 胸痛伴出汗，请立即拨打120\n", false))).toEqual([
      { kind: "red_flags", title: "危险信号", body: "- 胸痛伴出汗，请立即拨打120" },
    ]);
    expect(red(liveParts("### 警示信号：\n无法排除心肌梗死", false))).toHaveLength(1);
  });

  it("a heading inside a code block is not a section", () => {
    expect(liveParts("Example:\n```\n## Red flags\n- x\n```\nDone.", true)).toBeNull();
    // Still open while streaming: everything after the fence is code.
    expect(liveParts("```md\n## Red flags\n- chest pain\n", false)).toBeNull();
    // A shorter fence does not close a longer one.
    expect(liveParts("````\n```\n## Red flags\n- x\n````\n", true)).toBeNull();
    // After the fence closes, a heading counts again.
    expect(red(liveParts("~~~\ncode\n~~~\n## Red flags\n- Chest pain\n", false))).toHaveLength(1);
  });

  it("a section that says there are none is no card, nor one that may still say so", () => {
    expect(liveParts("## Red flags\nNone.\n## Summary\nA cold.", true)).toBeNull();
    expect(liveParts("## 危险信号\n暂无。\n## 概要\n感冒。", true)).toBeNull();
    expect(liveParts("## Red flags\nNo", false)).toBeNull();
    expect(red(liveParts("## Red flags\nNo fever, but chest pain: call 911", false))).toHaveLength(1);
  });

  it("never reads a heading in a thinking block", () => {
    expect(liveParts("<think>## Red flags\n- x</think>\nAll fine.", true)).toBeNull();
    expect(liveParts("## Summary\nok\n<think>## Red flags\n- x", false)).toBeNull();
  });
});
