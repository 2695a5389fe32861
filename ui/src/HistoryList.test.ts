// The history list's previews, and the setting that hides them on a screen others can see.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { setLang } from "./lib/i18n.svelte";
import { backend } from "./test/app";
import { stored, view } from "./test/consult";

afterEach(() => {
  clearMocks();
  setLang("en");
});

const knee = () =>
  view(1, {
    title: "Knee pain",
    chief_complaint: "Swollen left knee",
    messages: [stored({ id: 1, role: "user", content: "My left knee is swollen since Monday" })],
  });

describe("history list previews", () => {
  it("Settings → History list: hiding what consultations are about leaves numbers and dates, and is saved", async () => {
    const b = backend({ modelPath: "/models/med.gguf", views: [knee()] });
    render(App);
    const list = await screen.findByTestId("consultation-list");
    await waitFor(() => expect(list.textContent).toContain("My left knee is swollen"));
    expect(list.textContent).toContain("Swollen left knee");

    await fireEvent.click(screen.getByTestId("open-settings"));
    const box = await screen.findByTestId<HTMLInputElement>("hide-previews");
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    await waitFor(() => expect(b.hub.settings.hide_previews).toBe(true));
    expect(box.checked).toBe(true);
    // Titles go too: an untitled consultation is named after its first question.
    expect(list.textContent).toContain("Consultation 1");
    expect(list.textContent).not.toContain("Knee pain");
    expect(screen.getByTestId("consultation-delete").getAttribute("aria-label")).toContain("Consultation 1");
    expect(list.textContent).not.toContain("My left knee is swollen");
    expect(list.textContent).not.toContain("Swollen left knee");
    expect(screen.queryByTestId("consultation-preview")).toBeNull();
  });

  it("starts hidden when the settings say so, and speaks Chinese", async () => {
    backend({ modelPath: "/models/med.gguf", views: [knee()], settings: { hide_previews: true, language: "zh" } });
    render(App);
    const list = await screen.findByTestId("consultation-list");
    await waitFor(() => expect(list.textContent).toContain("问诊 1"));
    expect(list.textContent).not.toContain("Knee pain");
    expect(list.textContent).not.toContain("My left knee is swollen");
    await fireEvent.click(screen.getByTestId("open-settings"));
    const section = await screen.findByTestId("hide-previews-settings");
    expect(section.textContent).toContain("隐藏问诊内容");
    expect(screen.getByTestId<HTMLInputElement>("hide-previews").checked).toBe(true);
  });
});
