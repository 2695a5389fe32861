import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import ContextMeter from "./ContextMeter.svelte";
import { display } from "../../display.svelte";
import { setLang } from "../../i18n.svelte";

import { budget } from "../../../test/fixtures";

describe("ContextMeter", () => {
  beforeEach(() => {
    display.technical = true;
  });
  afterEach(() => {
    display.technical = false;
    setLang("en");
  });

  it("without technical details says the share in plain words, no tokens", () => {
    display.technical = false;
    render(ContextMeter, { budget: { ...budget, system_tokens: 8000, history_tokens: 8000, message_tokens: 384 } });
    expect(screen.getByTestId("context-label").textContent).toBe("50% of the conversation memory used");
    expect(screen.getByRole("meter").getAttribute("aria-valuetext")).toBe("50% of the conversation memory used");
  });

  it("without technical details, in Chinese, has no 词元", () => {
    display.technical = false;
    setLang("zh");
    render(ContextMeter, { budget });
    expect(screen.getByTestId("context-label").textContent).toBe("对话记忆已用 4%");
  });

  it("is a labelled meter with the compact label and a segment tooltip", () => {
    render(ContextMeter, { budget });
    const meter = screen.getByRole("meter");
    expect(meter.dataset.testid).toBe("context-meter");
    expect(meter.getAttribute("aria-valuemin")).toBe("0");
    expect(meter.getAttribute("aria-valuemax")).toBe("32768");
    expect(meter.getAttribute("aria-valuenow")).toBe("1234");
    expect(meter.getAttribute("aria-valuetext")).toBe("1,234 / 32,768 tokens · 31,534 left for the answer");
    expect(screen.getByTestId("context-label").textContent).toBe("1,234 / 32,768 tokens · 31,534 left for the answer");
    const title = meter.getAttribute("title")!;
    expect(title).toContain("System prompt and patient context: 200");
    expect(title).toContain("Earlier turns: 900");
    expect(title).toContain("New message: 134");
    expect(title).toContain("Left for the answer (thinking included): 31,534");
    // The same detail is reachable without hovering.
    const described = document.getElementById(meter.getAttribute("aria-describedby")!);
    expect(described?.textContent).toBe(title);
  });

  it("draws one segment per non-empty part, in order", () => {
    render(ContextMeter, { budget: { ...budget, history_tokens: 0, answer_room: 32434 } });
    const segs = [...screen.getByTestId("context-meter").querySelectorAll(".seg")] as HTMLElement[];
    expect(segs.map((s) => s.dataset.testid)).toEqual([
      "context-segment-system",
      "context-segment-message",
      "context-segment-answer",
    ]);
    expect(segs[0].style.flexBasis).toMatch(/%$/);
  });

  it("warns when little room is left for the answer", () => {
    render(ContextMeter, {
      budget: { limit: 4096, system_tokens: 1000, history_tokens: 2500, message_tokens: 300, answer_room: 296, dropped: [0, 1] },
    });
    const meter = screen.getByTestId("context-meter");
    expect(meter.classList.contains("low")).toBe(true);
    expect(meter.getAttribute("title")).toContain("2 earlier messages were left out");
  });
});
