import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { ContextBudget } from "./lib/bindings/ContextBudget";
import type { ModelNotice } from "./lib/bindings/ModelNotice";
import { gptq, qwenDraft, rtx4090Overview } from "./test/fixtures";
import { backend, cpuModel, type Backend } from "./test/app";
import { commands } from "./test/hub";

afterEach(() => clearMocks());

const DRAFT_REFUSED: ModelNotice = {
  kind: "draft_not_used",
  error: { code: "DRAFT_REJECTED", message: "the draft's vocabulary differs from the target's" },
};
const DRAFT_REFUSED_TEXT = "Draft model not used (";

/** Waits until the `n`th turn command reached the backend, then says the question is saved. */
async function turnStarted(b: Backend, n = 1) {
  await waitFor(() => expect(b.consult.turns).toHaveLength(n));
  b.turn().triage();
  b.turn().saved();
}

async function sendText(text: string) {
  await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
  const input = await screen.findByTestId("message-input");
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.keyDown(input, { key: "Enter" });
}

describe("App", () => {
  it("first run: shows the disclaimer and the set-up screen instead of the chat", async () => {
    const b = backend({ modelPath: null });
    render(App);
    expect(screen.getByTestId("disclaimer").textContent).toContain("Anamnesis is not a doctor.");
    const onboarding = await screen.findByTestId("onboarding");
    await within(onboarding).findByTestId("hardware");
    expect(screen.queryByTestId("settings")).toBeNull();
    expect(screen.queryByText("How can I help?")).toBeNull();
    // Nothing to go back to yet.
    expect(screen.queryByTestId("onboarding-close")).toBeNull();
    expect(b.calls).not.toContain("load_model");
    expect(screen.getByTestId<HTMLButtonElement>("send").disabled).toBe(true);

    // The manual chooser is one click away, with the first-run hint.
    await fireEvent.click(screen.getByTestId("onboarding-manual"));
    await screen.findByTestId("settings");
    expect(screen.getByTestId("first-run")).toBeTruthy();
  });

  it("first run: one click downloads the model and its draft, then uses and loads it", async () => {
    const b = backend({ modelPath: null });
    render(App);
    await fireEvent.click(await screen.findByTestId("download-start"));
    await waitFor(() => expect(b.hub.downloads).toHaveLength(1));
    const main = b.hub.latest();
    expect(main.variant).toBe(gptq.id);
    main.emit({ type: "done", dir: "/m/x", bytes: 1, secs: 1 });
    main.finish();
    await waitFor(() => expect(b.hub.downloads).toHaveLength(2));
    const draft = b.hub.latest();
    expect(draft.variant).toBe(qwenDraft.id);
    expect(b.calls).not.toContain("load_model");
    draft.finish();

    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    // use_model then load_model, in that order, after both downloads.
    const order = b.calls.filter((c) => ["start_download", "use_model", "load_model"].includes(c));
    expect(order).toEqual(["start_download", "start_download", "use_model", "load_model"]);
    expect(screen.queryByTestId("onboarding")).toBeNull();
    expect(screen.getByText("How can I help?")).toBeTruthy();
    expect(screen.getByTestId("message-input")).toBeTruthy();
  });

  it("Settings → Models: 'Set up a model' opens the set-up screen, Back to chat returns", async () => {
    backend({ modelPath: "/models/med.gguf" });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    await fireEvent.click(screen.getByTestId("open-settings"));
    await fireEvent.click(await screen.findByTestId("models-setup"));
    expect(screen.queryByTestId("settings")).toBeNull();
    await screen.findByTestId("hardware");
    await fireEvent.click(screen.getByTestId("onboarding-close"));
    expect(screen.queryByTestId("onboarding")).toBeNull();
    expect(screen.getByText("How can I help?")).toBeTruthy();
  });

  it("Settings → Models: Use points the settings at a downloaded model and loads it", async () => {
    const b = backend({
      modelPath: "/models/med.gguf",
      overview: {
        ...rtx4090Overview,
        installed: [{ id: gptq.id, dir: `${rtx4090Overview.models_dir}/${gptq.id}`, bytes: 19_480_000_000, partial_bytes: 0, verified_files: 12 }],
      },
    });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    await fireEvent.click(screen.getByTestId("open-settings"));
    await fireEvent.click(await screen.findByTestId("installed-use"));
    await waitFor(() => expect(commands(b.hub)).toContain("use_model"));
    await waitFor(() => expect(b.calls.filter((c) => c === "load_model")).toHaveLength(2));
    expect(b.calls.lastIndexOf("use_model")).toBeLessThan(b.calls.lastIndexOf("load_model"));
    expect(screen.queryByTestId("settings")).toBeNull();
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
      settings: { technical_details: true },
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
    await turnStarted(b);
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
      draft: null,
      model: "",
      quantization: null,
      prompt_version: "",
    });
    b.emit({ type: "done", finish_reason: "stop" });
    b.finish();
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
    expect(notice.textContent).toContain(DRAFT_REFUSED_TEXT);
    expect(screen.queryByTestId("draft-hint")).toBeNull();

    // The settings panel lists it too, so it stays findable after dismissal.
    await fireEvent.click(screen.getByTestId("open-settings"));
    expect((await screen.findByTestId("model-info-notices")).textContent).toContain(DRAFT_REFUSED_TEXT);

    await fireEvent.click(screen.getByTestId("model-notice-dismiss"));
    expect(screen.queryByTestId("model-notice")).toBeNull();

    // A new load brings its notices back.
    const path = screen.getByTestId("model-path");
    await fireEvent.input(path, { target: { value: "/models/other" } });
    await fireEvent.click(screen.getByTestId("model-apply"));
    await waitFor(() => expect(screen.getByTestId("current-model-path").textContent).toBe("/models/other"));
    expect((await screen.findByTestId("model-notice")).textContent).toContain(DRAFT_REFUSED_TEXT);
  });

  it("lists several notices in one banner", async () => {
    backend({ modelPath: "/models/med", info: { ...cpuModel, notices: [DRAFT_REFUSED, { kind: "remote_context_capped" }] } });
    render(App);
    const notice = await screen.findByTestId("model-notice");
    const items = within(notice).getAllByTestId("model-notice-item");
    expect(items.map((i) => i.textContent)).toEqual([
      "Draft model not used (the draft's vocabulary differs from the target's); answers are decoded without speculation.",
      "The context cap is larger than the server's; the server's limit applies.",
    ]);
  });

  it("applying a bad path shows the error and stays usable", async () => {
    backend({ modelPath: null });
    render(App);
    await fireEvent.click(await screen.findByTestId("onboarding-manual"));
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
    const b = backend({ modelPath: "/models/med.gguf", settings: { technical_details: true } });
    render(App);
    await sendText("I have a headache");
    await turnStarted(b);
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
      draft: null,
      model: "",
      quantization: null,
      prompt_version: "",
    });
    b.emit({ type: "done", finish_reason: "stop" });
    b.finish();

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
    await turnStarted(b);
    b.emit({ type: "reasoning", text: "hmm" });
    await fireEvent.click(await screen.findByTestId("stop"));
    expect(b.calls).toContain("stop_generation");
    b.emit({ type: "done", finish_reason: "cancelled" });
    b.finish();
    await waitFor(() => expect(screen.getByTestId("finish-note").textContent).toBe("Stopped"));
    expect(screen.getByTestId("thinking-panel").dataset.state).toBe("collapsed");
    expect(screen.getByTestId("thinking-duration").textContent).toMatch(/^Thought for/);
  });

  it("an error event fails the message but keeps partial text", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await sendText("Question");
    await turnStarted(b);
    b.emit({ type: "content", text: "Partial answer" });
    b.emit({ type: "error", code: "GENERATION_FAILED", message: "out of memory" });
    b.emit({ type: "done", finish_reason: "error" });
    b.finish();
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("GENERATION_FAILED");
    const msg = screen.getByTestId("assistant-message");
    expect(msg.dataset.status).toBe("failed");
    expect(within(msg).getByTestId("answer").textContent).toContain("Partial answer");
    await fireEvent.click(screen.getByTestId("error-dismiss"));
    expect(screen.queryByTestId("error")).toBeNull();
  });

  it("shows the context meter and marks the turns left out to fit the context", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { technical_details: true } });
    render(App);

    async function exchange(question: string, answer: string, context?: ContextBudget) {
      const n = b.consult.turns.length;
      await sendText(question);
      await turnStarted(b, n + 1);
      if (context) b.turn().context(context, []);
      b.emit({ type: "content", text: answer });
      b.emit({ type: "done", finish_reason: "stop" });
      b.finish();
      await screen.findByTestId("send");
      return b.turn();
    }

    expect(screen.queryByTestId("context-meter")).toBeNull();
    const first = await exchange("First question", "First answer", {
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
    await sendText("Third question");
    await turnStarted(b, 3);
    expect(b.turn().args.text).toBe("Third question");
    b.turn().context(
      {
        limit: 4096,
        system_tokens: 180,
        history_tokens: 2100,
        message_tokens: 40,
        answer_room: 1776,
        // Indices into the prompt, whose first message is the system prompt.
        dropped: [1, 2],
      },
      // The backend names the messages left out by their stored ids.
      [first.userMessageId, first.assistantMessageId],
    );

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
    b.finish();
    await screen.findByTestId("send");
    // The notice stays with the answer it belongs to.
    expect(within(screen.getAllByTestId("assistant-message")[2]).getByTestId("context-dropped")).toBeTruthy();

    // A new consultation clears the meter and the marks.
    await fireEvent.click(screen.getByTestId("new-consultation"));
    await waitFor(() => expect(screen.queryByTestId("context-meter")).toBeNull());
    expect(screen.queryByTestId("turn-dropped")).toBeNull();
    expect(screen.queryByTestId("context-dropped")).toBeNull();

    // Reopened, the stored notice brings the meter and the same marks back.
    const item = screen.getAllByTestId("consultation-item").find((x) => x.textContent?.includes("First question"))!;
    await fireEvent.click(within(item).getByTestId("consultation-open"));
    await waitFor(() => expect(screen.getAllByTestId("assistant-message")).toHaveLength(3));
    expect(screen.getByTestId("context-label").textContent).toBe("2,320 / 4,096 tokens · 1,776 left for the answer");
    const reopened = screen.getAllByTestId("assistant-message");
    const reasked = screen.getAllByTestId("user-message");
    expect(screen.getAllByTestId("turn-dropped")).toHaveLength(2);
    expect(within(reasked[0]).getByTestId("turn-dropped")).toBeTruthy();
    expect(within(reopened[0]).getByTestId("turn-dropped")).toBeTruthy();
    expect(within(reopened[2]).getByTestId("context-dropped")).toBeTruthy();
  });

  it("a rejected consult_send shows {code, message}", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    b.consult.turnRejects = { code: "NOT_LOADED", message: "No model is loaded" };
    render(App);
    await sendText("Question");
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("NOT_LOADED");
    expect(screen.getByTestId("assistant-message").dataset.status).toBe("failed");
  });
});
