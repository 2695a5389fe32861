import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import App from "./App.svelte";
import type { ChatEvent } from "./lib/bindings/ChatEvent";
import type { ChatMessage } from "./lib/bindings/ChatMessage";
import type { ModelInfo } from "./lib/bindings/ModelInfo";

afterEach(() => clearMocks());

const cpuModel: ModelInfo = {
  path: "/models/med.gguf",
  name: "MedModel 4B",
  format: "gguf",
  architecture: "qwen3",
  device: "cpu",
  on_cpu: true,
  context_length: 32768,
  load_s: 2.5,
  draft: null,
  notices: [],
  isq: null,
};

const DRAFT_REFUSED = "Draft model not used (tokenizer differs from the target); decoding without speculation.";

interface Backend {
  calls: string[];
  channel?: Channel<ChatEvent>;
  finish?: () => void;
  /** The messages of the latest send_message. */
  messages?: ChatMessage[];
  index: number;
  emit: (ev: ChatEvent) => void;
}

function backend(opts: { modelPath: string | null; info?: ModelInfo; sendRejects?: unknown }): Backend {
  const b: Backend = {
    calls: [],
    index: 0,
    emit(ev) {
      (window as any).__TAURI_INTERNALS__.runCallback(b.channel!.id, { index: b.index++, message: ev });
    },
  };
  let modelPath = opts.modelPath;
  mockIPC((cmd, args: any) => {
    b.calls.push(cmd);
    switch (cmd) {
      case "get_settings":
        return { model_path: modelPath, thinking: "auto" };
      case "model_status":
        return { state: "none" };
      case "set_model_path":
        if (args.path === "/bad") throw { code: "MODEL_NOT_FOUND", message: "Nothing at /bad" };
        modelPath = args.path;
        return { model_path: modelPath, thinking: "auto" };
      case "set_thinking":
        return { model_path: modelPath, thinking: args.mode };
      case "load_model":
        return { ...(opts.info ?? cpuModel), path: modelPath };
      case "send_message":
        if (opts.sendRejects) throw opts.sendRejects;
        b.channel = args.onEvent;
        b.messages = args.messages;
        b.index = 0;
        return new Promise<void>((resolve) => (b.finish = resolve));
      case "stop_generation":
        return null;
    }
    throw { code: "UNKNOWN_COMMAND", message: cmd };
  });
  return b;
}

async function sendText(text: string) {
  const input = await screen.findByTestId("message-input");
  await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.keyDown(input, { key: "Enter" });
}

describe("App", () => {
  it("first run: shows the disclaimer and opens Settings with a hint", async () => {
    const b = backend({ modelPath: null });
    render(App);
    expect(screen.getByTestId("disclaimer").textContent).toContain("Anamnesis is not a doctor.");
    await screen.findByTestId("settings");
    expect(screen.getByTestId("first-run")).toBeTruthy();
    expect(b.calls).not.toContain("load_model");
    expect(screen.getByTestId("send-blocked").textContent).toContain("Choose a model in Settings");
    expect((screen.getByTestId("send") as HTMLButtonElement).disabled).toBe(true);
  });

  it("auto-loads a remembered model and warns loudly about CPU", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await waitFor(() => expect(screen.getByTestId("cpu-warning").textContent).toContain("Running on CPU — slow"));
    expect(b.calls).toContain("load_model");
    expect(screen.getByTestId("model-badge").textContent).toContain("MedModel 4B");
  });

  it("shows the draft model in the badge and settings, and the acceptance in the stats line", async () => {
    const b = backend({
      modelPath: "/models/med",
      info: { ...cpuModel, device: "cuda:0", on_cpu: false, draft: { name: "MedModel 0.6B", gamma: 4 } },
    });
    render(App);
    await waitFor(() => expect(screen.getByTestId("draft-hint").textContent).toContain("⚡ draft"));
    const badge = screen.getByTestId("model-badge");
    expect(badge.textContent).toContain("MedModel 4B");
    expect(badge.contains(screen.getByTestId("draft-hint"))).toBe(true);
    expect(screen.queryByTestId("model-notice")).toBeNull();

    await fireEvent.click(screen.getByTestId("open-settings"));
    expect((await screen.findByTestId("model-draft")).textContent).toBe("speculative: MedModel 0.6B, γ=4");
    expect(screen.queryByTestId("model-info-notices")).toBeNull();
    await fireEvent.click(screen.getByTestId("settings-close"));

    await sendText("Question");
    await waitFor(() => expect(b.channel).toBeDefined());
    b.emit({ type: "content", text: "Answer" });
    b.emit({
      type: "stats",
      ttft_ms: 80,
      prefill_tok_s: 900,
      decode_tok_s: 61.04,
      prompt_tokens: 20,
      tokens: 64,
      reasoning_ms: null,
      device: "cuda:0",
      draft_acceptance: 0.871,
    });
    b.emit({ type: "done", finish_reason: "stop" });
    b.finish!();
    await waitFor(() =>
      expect(screen.getByTestId("stats").textContent).toBe(
        "TTFT 80 ms · 61.0 tok/s · 64 tokens · draft 87% accepted · cuda:0",
      ),
    );
  });

  it("no draft hint without a draft model", async () => {
    backend({ modelPath: "/models/med.gguf" });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel 4B"));
    expect(screen.queryByTestId("draft-hint")).toBeNull();
    expect(screen.queryByTestId("model-notice")).toBeNull();
  });

  it("shows load notices until dismissed, and again after the next load", async () => {
    backend({ modelPath: "/models/med", info: { ...cpuModel, notices: [DRAFT_REFUSED] } });
    render(App);
    const notice = await screen.findByTestId("model-notice");
    expect(notice.textContent).toContain(DRAFT_REFUSED);
    expect(screen.queryByTestId("draft-hint")).toBeNull();

    // The settings panel lists it too, so it stays findable after dismissal.
    await fireEvent.click(screen.getByTestId("open-settings"));
    expect((await screen.findByTestId("model-info-notices")).textContent).toContain(DRAFT_REFUSED);

    await fireEvent.click(screen.getByTestId("model-notice-dismiss"));
    expect(screen.queryByTestId("model-notice")).toBeNull();

    // A new load brings its notices back.
    const path = screen.getByTestId("model-path");
    await fireEvent.input(path, { target: { value: "/models/other" } });
    await fireEvent.click(screen.getByTestId("model-apply"));
    await waitFor(() => expect(screen.getByTestId("current-model-path").textContent).toBe("/models/other"));
    expect((await screen.findByTestId("model-notice")).textContent).toContain(DRAFT_REFUSED);
  });

  it("lists several notices in one banner", async () => {
    backend({ modelPath: "/models/med", info: { ...cpuModel, notices: [DRAFT_REFUSED, "Context capped at 8192 tokens."] } });
    render(App);
    const notice = await screen.findByTestId("model-notice");
    const items = within(notice).getAllByTestId("model-notice-item");
    expect(items.map((i) => i.textContent)).toEqual([DRAFT_REFUSED, "Context capped at 8192 tokens."]);
  });

  it("applying a bad path shows the error and stays usable", async () => {
    backend({ modelPath: null });
    render(App);
    const path = await screen.findByTestId("model-path");
    await fireEvent.input(path, { target: { value: "/bad" } });
    await fireEvent.click(screen.getByTestId("model-apply"));
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("MODEL_NOT_FOUND");
    expect(err.textContent).toContain("Nothing at /bad");
    await fireEvent.input(path, { target: { value: "/models/good" } });
    await fireEvent.click(screen.getByTestId("model-apply"));
    await screen.findByTestId("model-info");
    expect(screen.queryByTestId("error")).toBeNull();
  });

  it("streams reasoning, collapses on content, renders sanitized answer and stats", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await sendText("I have a headache");
    await waitFor(() => expect(b.channel).toBeDefined());
    expect(screen.getByTestId("stop")).toBeTruthy();

    b.emit({ type: "reasoning", text: "Consider **tension** headache." });
    const panel = await screen.findByTestId("thinking-panel");
    await waitFor(() => expect(panel.dataset.state).toBe("streaming"));
    expect(panel.textContent).toContain("Thinking");

    b.emit({ type: "content", text: "Drink water. <img src=x onerror=alert(1)>[x](javascript:alert(1))" });
    await waitFor(() => expect(screen.getByTestId("thinking-panel").dataset.state).toBe("collapsed"));

    b.emit({
      type: "stats",
      ttft_ms: 120,
      prefill_tok_s: 500,
      decode_tok_s: 42.1,
      prompt_tokens: 20,
      tokens: 128,
      reasoning_ms: 3000,
      device: "cpu",
      draft_acceptance: null,
    });
    b.emit({ type: "done", finish_reason: "stop" });
    b.finish!();

    await waitFor(() => expect(screen.getByTestId("stats").textContent).toBe("TTFT 120 ms · 42.1 tok/s · 128 tokens · cpu"));
    expect(screen.getByTestId("thinking-duration").textContent).toBe("Thought for 3 s");
    const answer = screen.getByTestId("answer");
    expect(answer.textContent).toContain("Drink water.");
    expect(answer.innerHTML).not.toContain("onerror");
    expect(answer.innerHTML).not.toContain("javascript:");
    await screen.findByTestId("send");

    await fireEvent.click(screen.getByTestId("thinking-toggle"));
    expect(screen.getByTestId("thinking-panel").dataset.state).toBe("expanded");
    expect(screen.getByTestId("thinking-panel").querySelector("strong")?.textContent).toBe("tension");
  });

  it("stop calls stop_generation and marks the answer as stopped", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await sendText("Question");
    await waitFor(() => expect(b.channel).toBeDefined());
    b.emit({ type: "reasoning", text: "hmm" });
    await fireEvent.click(await screen.findByTestId("stop"));
    expect(b.calls).toContain("stop_generation");
    b.emit({ type: "done", finish_reason: "cancelled" });
    b.finish!();
    await waitFor(() => expect(screen.getByTestId("finish-note").textContent).toBe("Stopped"));
    expect(screen.getByTestId("thinking-panel").dataset.state).toBe("collapsed");
    expect(screen.getByTestId("thinking-duration").textContent).toMatch(/^Thought for/);
  });

  it("an error event fails the message but keeps partial text", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await sendText("Question");
    await waitFor(() => expect(b.channel).toBeDefined());
    b.emit({ type: "content", text: "Partial answer" });
    b.emit({ type: "error", code: "GENERATION_FAILED", message: "out of memory" });
    b.emit({ type: "done", finish_reason: "error" });
    b.finish!();
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("GENERATION_FAILED");
    const msg = screen.getByTestId("assistant-message");
    expect(msg.dataset.status).toBe("failed");
    expect(within(msg).getByTestId("answer").textContent).toContain("Partial answer");
    await fireEvent.click(screen.getByTestId("error-dismiss"));
    expect(screen.queryByTestId("error")).toBeNull();
  });

  it("shows the context meter and marks the turns left out to fit the context", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);

    async function exchange(question: string, answer: string, context?: ChatEvent) {
      const before = b.channel;
      await sendText(question);
      await waitFor(() => expect(b.channel).not.toBe(before));
      if (context) b.emit(context);
      b.emit({ type: "content", text: answer });
      b.emit({ type: "done", finish_reason: "stop" });
      b.finish!();
      await screen.findByTestId("send");
    }

    expect(screen.queryByTestId("context-meter")).toBeNull();
    await exchange("First question", "First answer", {
      type: "context",
      limit: 4096,
      system_tokens: 180,
      history_tokens: 0,
      message_tokens: 12,
      answer_room: 3904,
      dropped: [],
    });
    expect(screen.getByTestId("context-meter").getAttribute("aria-valuetext")).toBe(
      "192 / 4,096 tokens · 3,904 left for the answer",
    );
    expect(screen.queryByTestId("context-dropped")).toBeNull();
    expect(screen.queryByTestId("turn-dropped")).toBeNull();

    await exchange("Second question", "Second answer");
    // No new budget for that answer: the last one stays.
    expect(screen.getByTestId("context-label").textContent).toBe("192 / 4,096 tokens · 3,904 left for the answer");

    // Third question: the backend leaves the first exchange out.
    const before = b.channel;
    await sendText("Third question");
    await waitFor(() => expect(b.channel).not.toBe(before));
    expect(b.messages!.map((m) => m.content)).toEqual([
      "First question",
      "First answer",
      "Second question",
      "Second answer",
      "Third question",
    ]);
    b.emit({
      type: "context",
      limit: 4096,
      system_tokens: 180,
      history_tokens: 2100,
      message_tokens: 40,
      answer_room: 1776,
      dropped: [0, 1],
    });

    // The meter and the notice show while the answer is still streaming.
    const meter = await screen.findByTestId("context-meter");
    await waitFor(() => expect(meter.getAttribute("aria-valuenow")).toBe("2320"));
    expect(meter.getAttribute("role")).toBe("meter");
    expect(meter.getAttribute("aria-valuemax")).toBe("4096");
    expect(screen.getByTestId("context-label").textContent).toBe("2,320 / 4,096 tokens · 1,776 left for the answer");
    expect(meter.getAttribute("title")).toContain("Earlier turns: 2,100");

    const answers = screen.getAllByTestId("assistant-message");
    expect(answers).toHaveLength(3);
    const notice = within(answers[2]).getByTestId("context-dropped");
    expect(notice.textContent).toContain("2 earlier messages were left out to fit the model's context.");
    expect(within(answers[0]).queryByTestId("context-dropped")).toBeNull();
    expect(within(answers[1]).queryByTestId("context-dropped")).toBeNull();

    // Exactly the first question and its answer are marked "not sent".
    const questions = screen.getAllByTestId("user-message");
    expect(screen.getAllByTestId("turn-dropped")).toHaveLength(2);
    expect(within(questions[0]).getByTestId("turn-dropped").textContent).toContain("Not sent");
    expect(within(answers[0]).getByTestId("turn-dropped").textContent).toContain("Not sent");
    expect(within(questions[1]).queryByTestId("turn-dropped")).toBeNull();
    expect(within(answers[1]).queryByTestId("turn-dropped")).toBeNull();
    expect(within(questions[2]).queryByTestId("turn-dropped")).toBeNull();
    expect(within(answers[2]).queryByTestId("turn-dropped")).toBeNull();

    b.emit({ type: "content", text: "Third answer" });
    b.emit({ type: "done", finish_reason: "stop" });
    b.finish!();
    await screen.findByTestId("send");
    // The notice stays with the answer it belongs to.
    expect(within(screen.getAllByTestId("assistant-message")[2]).getByTestId("context-dropped")).toBeTruthy();

    // A new consultation clears the meter and the marks.
    await fireEvent.click(screen.getByTestId("new-consultation"));
    expect(screen.queryByTestId("context-meter")).toBeNull();
    expect(screen.queryByTestId("turn-dropped")).toBeNull();
    expect(screen.queryByTestId("context-dropped")).toBeNull();
  });

  it("a rejected send_message shows {code, message}", async () => {
    backend({ modelPath: "/models/med.gguf", sendRejects: { code: "NO_MODEL", message: "No model is loaded" } });
    render(App);
    await sendText("Question");
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("NO_MODEL");
    expect(screen.getByTestId("assistant-message").dataset.status).toBe("failed");
  });
});
