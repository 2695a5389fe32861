// The thinking mode is per consultation: the composer shows and changes the open one's, the
// turns carry none (the backend uses the stored mode), and Settings holds the default that new
// consultations start with.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { ThinkingMode } from "./lib/bindings/ThinkingMode";
import { setLang } from "./lib/i18n.svelte";
import { backend, type Backend } from "./test/app";
import { consultCommands, stored, view } from "./test/consult";

afterEach(() => {
  clearMocks();
  setLang("en");
});

function radio(mode: ThinkingMode): HTMLInputElement {
  return screen.getByTestId<HTMLInputElement>(`thinking-mode-${mode}`);
}

/** The mode the composer shows as chosen. */
function shownMode(): ThinkingMode | null {
  return (["on", "off", "auto"] as const).find((m) => radio(m).checked) ?? null;
}

function storedMode(b: Backend, id: number): string | undefined {
  return b.consult.views.find((v) => v.consultation.id === id)?.consultation.thinking;
}

async function openByTitle(title: string) {
  const item = screen.getAllByTestId("consultation-item").find((i) => i.textContent?.includes(title))!;
  await fireEvent.click(within(item).getByTestId("consultation-open"));
  await waitFor(() => expect(screen.getByTestId("consultation-heading").textContent).toBe(title));
}

async function ready(title: string) {
  await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
  await waitFor(() => expect(screen.getByTestId("consultation-heading").textContent).toBe(title));
}

async function typeAndSend(text: string) {
  const input = await screen.findByTestId("message-input");
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.keyDown(input, { key: "Enter" });
}

function twoConsultations() {
  return backend({
    modelPath: "/models/med.gguf",
    settings: { thinking: "auto" },
    views: [
      view(1, { title: "Knee pain", thinking: "auto", messages: [stored({ id: 1, role: "user", content: "My knee" })] }),
      view(2, { title: "Fever", thinking: "on", messages: [stored({ id: 2, role: "user", content: "Fever" })] }),
    ],
  });
}

describe("thinking mode per consultation", () => {
  it("the composer shows the open consultation's mode; switching it leaves the other one alone", async () => {
    const b = twoConsultations();
    render(App);
    await ready("Fever");
    expect(shownMode()).toBe("on");

    await fireEvent.click(radio("off"));
    expect(shownMode()).toBe("off");
    await waitFor(() =>
      expect(b.consult.calls).toContainEqual([
        "update_consultation",
        { id: 2, title: null, chiefComplaint: null, patient: null, thinking: "off" },
      ]),
    );
    expect(storedMode(b, 2)).toBe("off");
    expect(storedMode(b, 1)).toBe("auto");
    // The default for new consultations is not touched.
    expect(b.calls).not.toContain("set_thinking");
    expect(b.hub.settings.thinking).toBe("auto");

    await openByTitle("Knee pain");
    expect(shownMode()).toBe("auto");
    await fireEvent.click(radio("on"));
    await waitFor(() => expect(storedMode(b, 1)).toBe("on"));
    expect(storedMode(b, 2)).toBe("off");

    // Reopened, each shows what was stored for it.
    await openByTitle("Fever");
    expect(shownMode()).toBe("off");
    await openByTitle("Knee pain");
    expect(shownMode()).toBe("on");
  });

  it("the mode survives reopening, and turns carry no thinking argument", async () => {
    const b = twoConsultations();
    render(App);
    await ready("Fever");
    await fireEvent.click(radio("auto"));
    await waitFor(() => expect(storedMode(b, 2)).toBe("auto"));
    await openByTitle("Knee pain");
    await openByTitle("Fever");
    expect(shownMode()).toBe("auto");
    const opens = b.consult.calls.filter(([c, a]) => c === "open_consultation" && a.id === 2);
    expect(opens.length).toBeGreaterThanOrEqual(2);

    await typeAndSend("Still feverish");
    await waitFor(() => expect(b.consult.turns).toHaveLength(1));
    expect(b.turn().cmd).toBe("consult_send");
    expect(Object.keys(b.turn().args).sort()).toEqual(["attachments", "id", "onEvent", "text"]);
    b.turn().triage();
    b.turn().saved();
    b.turn().chat({ type: "content", text: "Answer" });
    b.turn().chat({ type: "done", finish_reason: "stop" });
    b.turn().finish();
    await screen.findByTestId("send");

    await fireEvent.click(screen.getByTestId("regenerate"));
    await waitFor(() => expect(b.consult.turns).toHaveLength(2));
    expect(b.turn().cmd).toBe("consult_regenerate");
    expect(b.turn().args).not.toHaveProperty("thinking");
  });

  it("a turn sent while the mode is still saving waits for the save", async () => {
    const b = twoConsultations();
    render(App);
    await ready("Fever");
    let release!: () => void;
    b.consult.updateGate = new Promise<void>((r) => (release = r));
    await fireEvent.click(radio("off"));
    await typeAndSend("Question");
    await new Promise((r) => setTimeout(r, 30));
    expect(b.consult.turns).toHaveLength(0);
    release();
    await waitFor(() => expect(b.consult.turns).toHaveLength(1));
    const order = consultCommands(b.consult).filter((c) => c === "update_consultation" || c === "consult_send");
    expect(order).toEqual(["update_consultation", "consult_send"]);
    expect(storedMode(b, 2)).toBe("off");
  });

  it("a failed change goes back to the stored mode and says why", async () => {
    const b = twoConsultations();
    b.consult.updateRejects = { code: "STORE_BUSY", message: "database is locked" };
    render(App);
    await ready("Fever");
    await fireEvent.click(radio("off"));
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("STORE_BUSY");
    expect(err.textContent).toContain("database is locked");
    await waitFor(() => expect(shownMode()).toBe("on"));
    expect(storedMode(b, 2)).toBe("on");
  });

  it("Settings sets the default for new consultations only", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { thinking: "auto" } });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    await screen.findByTestId("consultation-heading");
    expect(shownMode()).toBe("auto");

    await fireEvent.click(screen.getByTestId("open-settings"));
    const section = await screen.findByTestId("thinking-settings");
    expect(section.textContent).toContain("Default thinking mode for new consultations");
    expect(within(section).getByTestId<HTMLInputElement>("default-thinking-auto").checked).toBe(true);
    await fireEvent.click(within(section).getByTestId("default-thinking-on"));
    await waitFor(() => expect(b.hub.settings.thinking).toBe("on"));
    expect(within(section).getByTestId<HTMLInputElement>("default-thinking-on").checked).toBe(true);
    await fireEvent.click(screen.getByTestId("settings-close"));

    // The open consultation keeps its mode.
    expect(shownMode()).toBe("auto");
    expect(consultCommands(b.consult)).not.toContain("update_consultation");

    // Make it non-blank, so "New consultation" makes a new one: it starts with the default.
    await typeAndSend("Question");
    await waitFor(() => expect(b.consult.turns).toHaveLength(1));
    b.turn().triage();
    b.turn().saved();
    b.turn().chat({ type: "done", finish_reason: "stop" });
    b.turn().finish();
    await screen.findByTestId("send");
    await fireEvent.click(screen.getByTestId("new-consultation"));
    await waitFor(() => expect(consultCommands(b.consult).filter((c) => c === "new_consultation")).toHaveLength(2));
    await waitFor(() => expect(shownMode()).toBe("on"));
  });

  it("a failed default change goes back and says why", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { thinking: "auto" } });
    render(App);
    await screen.findByTestId("consultation-heading");
    await fireEvent.click(screen.getByTestId("open-settings"));
    const section = await screen.findByTestId("thinking-settings");
    b.setThinkingRejects = { code: "SETTINGS_IO", message: "read-only file system" };
    await fireEvent.click(within(section).getByTestId("default-thinking-off"));
    const err = await screen.findByTestId("error");
    expect(err.textContent).toContain("SETTINGS_IO");
    await waitFor(() => expect(within(section).getByTestId<HTMLInputElement>("default-thinking-auto").checked).toBe(true));
  });
});
