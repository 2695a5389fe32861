// The model picker in the app: switching models and reloading go through the app's own load
// (the badge follows), "All models…" opens Settings there, and the window's shortcuts wait.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { ModelsOverview } from "./lib/bindings/ModelsOverview";
import { gguf, gptq, rtx4090Overview } from "./test/fixtures";
import { backend } from "./test/app";

afterEach(() => {
  clearMocks();
  delete (Element.prototype as Partial<Element>).scrollIntoView;
});

const DIR = rtx4090Overview.models_dir;
const overview: ModelsOverview = {
  ...rtx4090Overview,
  installed: [
    { id: gguf.id, dir: `${DIR}/${gguf.id}`, bytes: 19_900_000_000, partial_bytes: 0, verified_files: 1 },
    { id: gptq.id, dir: `${DIR}/${gptq.id}`, bytes: 19_480_000_000, partial_bytes: 0, verified_files: 12 },
  ],
};

async function openPicker() {
  await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
  await screen.findByTestId("consultation-heading");
  await fireEvent.click(screen.getByTestId("model-badge"));
  await screen.findByTestId("load-controls");
}

const loads = (calls: string[]) => calls.filter((c) => c === "load_model").length;

describe("the model picker in the app", () => {
  it("choosing another downloaded model uses it, then loads it", async () => {
    const b = backend({ modelPath: `${DIR}/${gguf.id}`, overview, settings: { variant: gguf.id } });
    render(App);
    await openPicker();
    expect(loads(b.calls)).toBe(1);
    await fireEvent.click(screen.getAllByTestId<HTMLInputElement>("picker-model")[1]);
    await fireEvent.click(screen.getByTestId("picker-load"));
    await waitFor(() => expect(loads(b.calls)).toBe(2));
    expect(b.calls.lastIndexOf("use_model")).toBeLessThan(b.calls.lastIndexOf("load_model"));
    expect(b.hub.settings.variant).toBe(gptq.id);
    await waitFor(() => expect(screen.getByTestId("picker-model-state").textContent).toBe("Loaded"));
    expect(screen.getByTestId("model-picker")).toBeTruthy();
  });

  it("Reload with these settings saves the choice, then loads again", async () => {
    const b = backend({ modelPath: `${DIR}/${gguf.id}`, overview, settings: { variant: gguf.id } });
    render(App);
    await openPicker();
    await fireEvent.input(screen.getByTestId("context-slider"), { target: { value: "8192" } });
    await fireEvent.click(screen.getByTestId("reload"));
    await waitFor(() => expect(loads(b.calls)).toBe(2));
    expect(b.calls.lastIndexOf("set_load_choice")).toBeLessThan(b.calls.lastIndexOf("load_model"));
    expect(b.hub.settings.max_context).toBe(8192);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    await waitFor(() => expect(screen.getByTestId("reload").getAttribute("aria-disabled")).toBe("true"));
  });

  it("All models… opens Settings at the downloaded models; closing it gives focus back to the badge", async () => {
    // jsdom lays nothing out: Settings scrolls to the section all the same.
    const scroll = vi.fn();
    Element.prototype.scrollIntoView = scroll;
    backend({ modelPath: `${DIR}/${gguf.id}`, overview, settings: { variant: gguf.id } });
    render(App);
    await openPicker();
    await fireEvent.click(screen.getByTestId("picker-all-models"));
    const settings = await screen.findByTestId("settings");
    expect(screen.queryByTestId("model-picker")).toBeNull();
    expect(screen.getByTestId("models-settings").contains(document.activeElement)).toBe(true);
    expect(scroll.mock.contexts[0]).toBe(screen.getByTestId("models-settings"));
    await fireEvent.keyDown(settings, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("settings")).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId("model-badge"));
  });

  it("the window's shortcuts wait while the picker is open", async () => {
    const b = backend({ modelPath: `${DIR}/${gguf.id}`, overview, settings: { variant: gguf.id } });
    render(App);
    await openPicker();
    const created = () => b.calls.filter((c) => c === "new_consultation").length;
    const before = created();
    await fireEvent.keyDown(document.activeElement!, { key: "n", ctrlKey: true });
    await fireEvent.keyDown(document.activeElement!, { key: ",", ctrlKey: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(created()).toBe(before);
    expect(screen.queryByTestId("settings")).toBeNull();
    expect(screen.getByTestId("model-picker")).toBeTruthy();
  });
});
