// Screen readers hear a finished answer once: the streaming answer is no live region (it is
// rewritten every frame), and one polite status says "Answer ready" when the turn has ended.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { setLang } from "./lib/i18n.svelte";
import { backend, type Backend } from "./test/app";
import { ready, send } from "./test/turns";

afterEach(() => {
  clearMocks();
  setLang("en");
});

const status = () => screen.getByTestId("answer-status");

/** The live regions in the conversation (the messages and what is around them) that hold any text. */
function liveWithText(): string[] {
  const live = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
  return [...document.querySelectorAll(".conversation")]
    .flatMap((c) => [...c.querySelectorAll(live)])
    // The copy buttons' "Copied" confirmations speak only after a click.
    .filter((el) => !el.closest('[data-testid="copy-answer"]'))
    .map((el) => (el.textContent ?? "").trim())
    .filter(Boolean);
}

async function streamed(b: Backend, question: string) {
  const turn = await send(b, question);
  turn.triage();
  turn.saved();
  turn.chat({ type: "content", text: "Rest and drink fluids." });
  return turn;
}

describe("the 'Answer ready' announcement", () => {
  it("is said once, politely, when the answer has finished, and not while it streams", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const region = status();
    expect(region.getAttribute("role")).toBe("status");
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(region.textContent).toBe("");

    const turn = await streamed(b, "I have a cold");
    const message = await screen.findByTestId("assistant-message");
    await waitFor(() => expect(within(message).getByTestId("answer").textContent).toContain("Rest and drink fluids."));
    // Streaming: the answer is not live, and nothing is announced yet.
    expect(within(message).getByTestId("answer").getAttribute("aria-live")).toBeNull();
    expect(message.querySelector("[aria-live]:not(.copy *)")).toBeNull();
    expect(region.textContent).toBe("");

    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await waitFor(() => expect(status().textContent).toBe("Answer ready"));
    // The same element all along (a region added with its text may go unheard).
    expect(status()).toBe(region);
    // The one live region with something to say, and the answer is still not one.
    expect(liveWithText()).toEqual(["Answer ready"]);
    expect(within(screen.getByTestId("assistant-message")).getByTestId("answer").getAttribute("aria-live")).toBeNull();

    // The next question clears it; its answer is announced again.
    const next = await streamed(b, "And a sore throat?");
    await waitFor(() => expect(status().textContent).toBe(""));
    next.chat({ type: "done", finish_reason: "stop" });
    next.finish();
    await waitFor(() => expect(status().textContent).toBe("Answer ready"));
  });

  it("is not said for a stopped or a failed answer", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const stopped = await streamed(b, "Question");
    await fireEvent.click(await screen.findByTestId("stop"));
    stopped.chat({ type: "done", finish_reason: "cancelled" });
    stopped.finish();
    await waitFor(() => expect(screen.getByTestId("finish-note").textContent).toBe("Stopped"));
    await screen.findByTestId("send");
    expect(status().textContent).toBe("");

    const failed = await streamed(b, "Another question");
    failed.chat({ type: "error", code: "GENERATION_FAILED", message: "out of memory" });
    failed.chat({ type: "done", finish_reason: "error" });
    failed.finish();
    await screen.findByTestId("error");
    await waitFor(() => expect(screen.getAllByTestId("assistant-message").pop()?.dataset.status).toBe("failed"));
    await screen.findByTestId("send");
    expect(status().textContent).toBe("");
  });

  it("is said in Chinese in the Chinese UI", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { language: "zh" } });
    render(App);
    await waitFor(() => expect(document.documentElement.lang).toBe("zh-CN"));
    await ready();
    const turn = await streamed(b, "感冒了");
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await waitFor(() => expect(status().textContent).toBe("回答已完成"));
  });
});
