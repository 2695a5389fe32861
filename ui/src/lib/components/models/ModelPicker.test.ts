// The model picker under the header's badge: opening and closing it, switching models, and the
// load controls with their memory estimate.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { LoadControls } from "../../bindings/LoadControls";
import type { ModelStatus } from "../../bindings/ModelStatus";
import type { ModelsOverview } from "../../bindings/ModelsOverview";
import type { Settings } from "../../bindings/Settings";
import { display } from "../../display.svelte";
import { ERROR_TEXT } from "../../i18n/errors";
import { setLang } from "../../i18n.svelte";
import { cpuModel } from "../../../test/app";
import { ggufControls, gguf, gptq, gptqControls, qwenDraft, rtx4090Overview, settingsFixture } from "../../../test/fixtures";
import { commands, hubMock, type HubOptions } from "../../../test/hub";
import { serveMocks } from "../../../test/settings";
import ModelBadge from "./ModelBadge.svelte";

afterEach(() => {
  clearMocks();
  setLang("en");
  display.technical = false;
});

const DIR = rtx4090Overview.models_dir;
const installed: ModelsOverview = {
  ...rtx4090Overview,
  installed: [
    { id: gguf.id, dir: `${DIR}/${gguf.id}`, bytes: 19_900_000_000, partial_bytes: 0, verified_files: 1 },
    { id: gptq.id, dir: `${DIR}/${gptq.id}`, bytes: 19_480_000_000, partial_bytes: 0, verified_files: 12 },
    { id: qwenDraft.id, dir: `${DIR}/${qwenDraft.id}`, bytes: 1_520_000_000, partial_bytes: 0, verified_files: 4 },
  ],
};
const ready: ModelStatus = { state: "ready", info: { ...cpuModel, name: gguf.label, device: "cuda:0", on_cpu: false, layers: { total: 64, on_gpu: 64 } } };

function setup(opts: HubOptions & { status?: ModelStatus; remoteEngine?: boolean; generating?: boolean } = {}) {
  const hub = hubMock({ overview: installed, settings: settingsFixture({ model_path: `${DIR}/${gguf.id}`, variant: gguf.id }), ...opts });
  serveMocks(hub);
  const props = {
    status: opts.status ?? ready,
    remoteEngine: opts.remoteEngine ?? false,
    generating: opts.generating ?? false,
    onOpenSettings: vi.fn(),
    onUsed: vi.fn<(settings: Settings) => Promise<void>>(async () => {}),
  };
  const view = render(ModelBadge, props);
  return { hub, props, view };
}

async function open() {
  await fireEvent.click(screen.getByTestId("model-badge"));
  const picker = screen.getByTestId("model-picker");
  await within(picker).findByTestId("load-controls");
  return picker;
}

const calls = (hub: ReturnType<typeof hubMock>, cmd: string) => hub.calls.filter(([c]) => c === cmd).map(([, a]) => a);

describe("opening and closing", () => {
  it("the badge is a button that opens the Model dialog, and Escape closes it back to the badge", async () => {
    setup();
    const badge = screen.getByTestId("model-badge");
    expect(badge.tagName).toBe("BUTTON");
    expect(badge.getAttribute("aria-haspopup")).toBe("dialog");
    expect(badge.getAttribute("aria-expanded")).toBe("false");

    const picker = await open();
    expect(badge.getAttribute("aria-expanded")).toBe("true");
    expect(badge.getAttribute("aria-controls")).toBe(picker.id);
    expect(picker.getAttribute("role")).toBe("dialog");
    expect(picker.getAttribute("aria-modal")).toBe("true");
    expect(within(picker).getByRole("heading", { level: 2 }).textContent).toBe("Model");
    expect(picker.contains(document.activeElement)).toBe(true);

    await fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByTestId("model-picker")).toBeNull();
    expect(badge.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(badge);
  });

  it("a click outside closes it, a click inside does not; × closes it too", async () => {
    setup();
    const picker = await open();
    await fireEvent.mouseDown(within(picker).getByTestId("load-controls"));
    expect(screen.getByTestId("model-picker")).toBeTruthy();
    await fireEvent.mouseDown(document.body);
    await waitFor(() => expect(screen.queryByTestId("model-picker")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("model-badge")));

    await open();
    await fireEvent.click(screen.getByTestId("picker-close"));
    expect(screen.queryByTestId("model-picker")).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("model-badge"));
  });

  it("Tab stays inside: from the last control to the first, and back", async () => {
    setup();
    const picker = await open();
    const close = screen.getByTestId("picker-close");
    const reload = screen.getByTestId("reload");
    reload.focus();
    await fireEvent.keyDown(reload, { key: "Tab" });
    expect(document.activeElement).toBe(close);
    await fireEvent.keyDown(close, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(reload);
    expect(picker.contains(document.activeElement)).toBe(true);
  });

  it("opens for a model that failed to load, saying why, and when none is chosen", async () => {
    setup({ status: { state: "failed", error: { code: "LOAD_FAILED", message: "out of memory" } } });
    await open();
    expect(screen.getByTestId("picker-load-error-said").textContent).toBe(ERROR_TEXT.en.LOAD_FAILED);
    expect(screen.getByTestId("picker-load-error-code").textContent).toBe("LOAD_FAILED");
  });

  it("with no model chosen: the downloaded models, no controls", async () => {
    const { hub } = setup({ status: { state: "none" }, settings: settingsFixture() });
    await fireEvent.click(screen.getByTestId("model-badge"));
    await screen.findAllByTestId("picker-model");
    await waitFor(() => expect(commands(hub)).toContain("load_controls"));
    expect(screen.queryByTestId("load-controls")).toBeNull();
    expect(screen.queryByTestId("picker-controls-error")).toBeNull();
    expect(screen.getAllByTestId<HTMLInputElement>("picker-model").every((r) => !r.checked)).toBe(true);
  });

  it("for the remote engine the badge opens Settings at the remote section instead", async () => {
    const { props, hub } = setup({ remoteEngine: true });
    const badge = screen.getByTestId("model-badge");
    expect(badge.getAttribute("aria-expanded")).toBeNull();
    await fireEvent.click(badge);
    expect(props.onOpenSettings).toHaveBeenCalledWith("remote");
    expect(screen.queryByTestId("model-picker")).toBeNull();
    expect(commands(hub)).not.toContain("load_controls");
  });

  it("All models… opens Settings at the downloaded models and closes the picker", async () => {
    const { props } = setup();
    await open();
    await fireEvent.click(screen.getByTestId("picker-all-models"));
    expect(props.onOpenSettings).toHaveBeenCalledWith("models");
    expect(screen.queryByTestId("model-picker")).toBeNull();
  });
});

describe("the downloaded models", () => {
  it("lists the loadable ones with their size, the chosen one checked and marked loaded", async () => {
    setup();
    await open();
    const rows = screen.getAllByTestId<HTMLInputElement>("picker-model");
    // The draft model is not one to load on its own.
    expect(rows.map((r) => r.dataset.id)).toEqual([gguf.id, gptq.id]);
    const chosen = rows[0].closest("label")!;
    expect(rows[0].checked).toBe(true);
    expect(chosen.textContent).toContain(gguf.label);
    expect(chosen.textContent).toContain("19.9 GB");
    expect(within(chosen).getByTestId("picker-model-state").textContent).toBe("Loaded");
    expect(rows[1].closest("label")!.textContent).toContain("19.5 GB");
    expect(screen.queryByTestId("picker-load")).toBeNull();
  });

  it("choosing another and pressing Load calls use_model, then loads it with the new settings", async () => {
    const { hub, props } = setup();
    await open();
    const other = screen.getAllByTestId<HTMLInputElement>("picker-model")[1];
    await fireEvent.click(other);
    expect(commands(hub)).not.toContain("use_model");
    const load = screen.getByTestId("picker-load");
    expect(load.textContent).toBe(`Load ${gptq.label}`);
    await fireEvent.click(load);
    await waitFor(() => expect(props.onUsed).toHaveBeenCalledTimes(1));
    expect(calls(hub, "use_model")).toEqual([{ variant: gptq.id }]);
    expect(props.onUsed.mock.calls[0][0]).toMatchObject({ variant: gptq.id });
    // The new model's controls: GPTQ has no layers to choose and no draft downloaded.
    await waitFor(() => expect(screen.getByTestId("load-controls").textContent).toContain(`Load settings for ${gptq.label}`));
    expect(screen.queryByTestId("picker-load")).toBeNull();
    expect(document.activeElement).toBe(other);
  });

  it("Enter on a radio loads it too (the list is a form)", async () => {
    const { hub } = setup();
    await open();
    const form = screen.getByTestId<HTMLFormElement>("picker-models");
    await fireEvent.click(screen.getAllByTestId<HTMLInputElement>("picker-model")[1]);
    await fireEvent.submit(form);
    await waitFor(() => expect(calls(hub, "use_model")).toEqual([{ variant: gptq.id }]));
  });

  it("nothing switches while an answer is being written", async () => {
    const { hub } = setup({ generating: true });
    await open();
    expect(screen.getByTestId("picker-stop-first").textContent).toBe("Stop the current answer before switching models.");
    await fireEvent.click(screen.getAllByTestId<HTMLInputElement>("picker-model")[1]);
    const load = screen.getByTestId("picker-load");
    expect(load.getAttribute("aria-disabled")).toBe("true");
    await fireEvent.click(load);
    expect(commands(hub)).not.toContain("use_model");
    expect(screen.getByTestId("reload").getAttribute("aria-disabled")).toBe("true");
  });
});

describe("load controls", () => {
  it("show the context in tokens and words, the recommended value marked, layers and draft", async () => {
    setup();
    await open();
    expect(screen.getByTestId("load-controls").textContent).toContain(`Load settings for ${gguf.label}`);
    expect(screen.getByTestId("context-value").textContent).toBe("10,240 tokens (about 7,500 words)");
    expect(screen.getByTestId("context-recommended").textContent).toBe("recommended");
    const slider = screen.getByTestId<HTMLInputElement>("context-slider");
    expect([slider.min, slider.max, slider.step, slider.value]).toEqual(["4096", "32768", "1024", "10240"]);
    expect(slider.getAttribute("aria-valuetext")).toBe("10,240 tokens (about 7,500 words)");
    expect(screen.getByTestId("layers-value").textContent).toBe("64 of 64");
    expect(screen.getByTestId<HTMLInputElement>("layers-slider").max).toBe("64");
    expect(screen.getByTestId<HTMLInputElement>("draft-toggle").checked).toBe(true);
    expect(screen.getByTestId("pool-gpu").textContent).toContain("GPU memory: 22.4 GB needed, 22.6 GB usable");
    expect(screen.getByTestId("load-estimate").dataset.fits).toBe("true");
    expect(screen.queryByTestId("load-too-big")).toBeNull();
    // Nothing changed yet; already the recommendation.
    expect(screen.getByTestId("reload").getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByTestId("use-recommended").getAttribute("aria-disabled")).toBe("true");
  });

  it("GPU layers are hidden where they cannot be chosen, and the draft where none is downloaded", async () => {
    setup({ controls: gptqControls() });
    await open();
    expect(screen.queryByTestId("layers-control")).toBeNull();
    expect(screen.queryByTestId("draft-toggle")).toBeNull();
    expect(screen.getByTestId("context-control")).toBeTruthy();
  });

  it("sliding asks for one estimate once it rests, and warns when it may not fit", async () => {
    const { hub } = setup();
    await open();
    const slider = screen.getByTestId<HTMLInputElement>("context-slider");
    for (const v of [16384, 24576, 32768]) await fireEvent.input(slider, { target: { value: String(v) } });
    expect(screen.getByTestId("load-estimate").getAttribute("aria-busy")).toBe("true");
    await waitFor(() => expect(calls(hub, "estimate_load")).toHaveLength(1));
    expect(calls(hub, "estimate_load")[0]).toEqual({ choice: { context: 32768, gpu_layers: null, draft: true } });
    const warning = await screen.findByTestId("load-too-big");
    expect(warning.textContent).toContain("This may not fit in memory: the computer may slow down or Anamnesis may close.");
    expect(warning.parentElement!.getAttribute("role")).toBe("status");
    expect(screen.getByTestId("load-estimate").dataset.fits).toBe("false");
    expect(screen.getByTestId("pool-gpu").classList.contains("over")).toBe(true);
    expect(screen.getByTestId("context-value").textContent).toBe("32,768 tokens (about 25,000 words)");
    expect(screen.queryByTestId("context-recommended")).toBeNull();

    // Fewer layers on the GPU: the rest go to RAM, and it fits again.
    await fireEvent.input(screen.getByTestId("layers-slider"), { target: { value: "40" } });
    await waitFor(() => expect(calls(hub, "estimate_load")).toHaveLength(2));
    expect(calls(hub, "estimate_load")[1]).toEqual({ choice: { context: 32768, gpu_layers: 40, draft: true } });
    await waitFor(() => expect(screen.queryByTestId("load-too-big")).toBeNull());
    expect(screen.getByTestId("pool-ram").textContent).toContain("Computer memory (RAM):");
  });

  it("the number field snaps to a step within the bounds", async () => {
    const { hub } = setup();
    await open();
    const field = screen.getByTestId<HTMLInputElement>("context-number");
    await fireEvent.change(field, { target: { value: "9000" } });
    expect(field.value).toBe("9216");
    expect(screen.getByTestId("context-value").textContent).toContain("9,216 tokens");
    await fireEvent.change(field, { target: { value: "999999" } });
    expect(field.value).toBe("32768");
    await waitFor(() => expect(calls(hub, "estimate_load").pop()).toEqual({ choice: { context: 32768, gpu_layers: null, draft: true } }));
  });

  it("Use recommended puts the fields back to the planner's choice", async () => {
    setup({ controls: ggufControls({ current: { context: 20480, gpu_layers: 48, draft: false } }) });
    await open();
    expect(screen.getByTestId("context-value").textContent).toContain("20,480");
    expect(screen.getByTestId("layers-value").textContent).toBe("48 of 64");
    const use = screen.getByTestId("use-recommended");
    expect(use.getAttribute("aria-disabled")).toBe("false");
    await fireEvent.click(use);
    expect(screen.getByTestId("context-value").textContent).toContain("10,240");
    expect(screen.getByTestId("layers-value").textContent).toBe("64 of 64");
    expect(screen.getByTestId<HTMLInputElement>("draft-toggle").checked).toBe(true);
    expect(use.getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByTestId("reload").getAttribute("aria-disabled")).toBe("false");
  });

  it("Reload saves the choice with set_load_choice, then loads, then shows what is saved", async () => {
    const { hub, props } = setup();
    await open();
    await fireEvent.input(screen.getByTestId("context-slider"), { target: { value: "8192" } });
    await fireEvent.click(screen.getByTestId("draft-toggle"));
    const reload = screen.getByTestId("reload");
    expect(reload.getAttribute("aria-disabled")).toBe("false");
    reload.focus();
    await fireEvent.click(reload);
    await waitFor(() => expect(props.onUsed).toHaveBeenCalledTimes(1));
    // All layers stay "all" (null) as the settings had them.
    expect(calls(hub, "set_load_choice")).toEqual([{ choice: { context: 8192, gpu_layers: null, draft: false } }]);
    expect(props.onUsed.mock.calls[0][0]).toMatchObject({ max_context: 8192 });
    expect(commands(hub).lastIndexOf("load_controls")).toBeGreaterThan(commands(hub).indexOf("set_load_choice"));
    await waitFor(() => expect(reload.getAttribute("aria-disabled")).toBe("true"));
    expect(screen.getByTestId("context-value").textContent).toContain("8,192");
    expect(document.activeElement).toBe(reload);
  });

  it("a refused choice is said in words, with the code under it", async () => {
    const { props } = setup({ rejectChoice: { code: "INVALID_LOAD_CHOICE", message: "context 40960 is outside 4096..32768" } });
    await open();
    await fireEvent.input(screen.getByTestId("context-slider"), { target: { value: "8192" } });
    await fireEvent.click(screen.getByTestId("reload"));
    const error = await screen.findByTestId("reload-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(screen.getByTestId("reload-error-said").textContent).toBe(ERROR_TEXT.en.INVALID_LOAD_CHOICE);
    expect(screen.getByTestId("reload-error-code").textContent).toBe("INVALID_LOAD_CHOICE");
    expect(screen.getByTestId("reload-error-message").textContent).toBe("context 40960 is outside 4096..32768");
    expect(props.onUsed).not.toHaveBeenCalled();
  });

  it("Reload waits while the model loads", async () => {
    const { hub } = setup({ status: { state: "loading", path: `${DIR}/${gguf.id}` } });
    await open();
    expect(screen.getByTestId("picker-loading").textContent).toContain("Loading model…");
    await fireEvent.input(screen.getByTestId("context-slider"), { target: { value: "8192" } });
    expect(screen.getByTestId("reload").getAttribute("aria-disabled")).toBe("true");
    await fireEvent.click(screen.getByTestId("reload"));
    expect(commands(hub)).not.toContain("set_load_choice");
  });

  it("a model picked by hand: no estimate, and none asked for", async () => {
    const manual: LoadControls = { ...gptqControls(), variant: null, name: "my-model.gguf", estimate: null };
    const { hub } = setup({ controls: manual });
    await open();
    expect(screen.getByTestId("picker-manual").textContent).toBe("In use: my-model.gguf, chosen from a folder or file.");
    expect(screen.getByTestId("load-estimate-none").textContent).toBe(
      "The memory this model needs cannot be estimated: it was chosen by hand, from a folder or file.",
    );
    await fireEvent.input(screen.getByTestId("context-slider"), { target: { value: "8192" } });
    await new Promise((r) => setTimeout(r, 250));
    expect(commands(hub)).not.toContain("estimate_load");
    expect(screen.getByTestId("reload").getAttribute("aria-disabled")).toBe("false");
  });

  it("the breakdown by part only with technical details", async () => {
    display.technical = true;
    setup();
    await open();
    expect(screen.getByTestId("memory-breakdown")).toBeTruthy();
    expect(screen.getByTestId("picker-path").textContent).toBe(cpuModel.path);
  });

  it("speaks Chinese without 词元, in the locale's numbers", async () => {
    setLang("zh");
    setup();
    const picker = await open();
    expect(within(picker).getByRole("heading", { level: 2 }).textContent).toBe("模型");
    expect(screen.getByTestId("context-value").textContent).toBe("10,240（约相当于 7,500 个英文单词）");
    expect(screen.getByTestId("layers-value").textContent).toBe("64 层中的 64 层");
    expect(screen.getByTestId("pool-gpu").textContent).toContain("显存：需要 22.4 GB，可用 22.6 GB");
    expect(picker.textContent).not.toContain("词元");
  });
});
