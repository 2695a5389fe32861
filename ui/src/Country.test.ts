// Settings → Emergency numbers: the country new consultations start with (from the computer's
// locale at first), so an emergency banner can name the number at once.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { setLang } from "./lib/i18n.svelte";
import { backend } from "./test/app";

afterEach(() => {
  clearMocks();
  setLang("en");
});

async function openSettings() {
  await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
  await fireEvent.click(screen.getByTestId("open-settings"));
  return screen.findByTestId("country-settings");
}

describe("default country", () => {
  it("shows the locale's country and saves a change", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { country: "DE" } });
    render(App);
    const section = await openSettings();
    const select = within(section).getByTestId<HTMLSelectElement>("default-country");
    expect(select.value).toBe("DE");
    expect(section.textContent).toContain("emergency number");

    await fireEvent.change(select, { target: { value: "GB" } });
    await waitFor(() => expect(b.hub.settings.country).toBe("GB"));
  });

  it("a country the list does not name is still offered, and Not set clears it", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { country: "BR" } });
    render(App);
    const section = await openSettings();
    const select = within(section).getByTestId<HTMLSelectElement>("default-country");
    expect(select.value).toBe("BR");
    await fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(b.hub.settings.country).toBeNull());
  });

  it("a refused change goes back and says why", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { country: "US" } });
    render(App);
    const section = await openSettings();
    const select = within(section).getByTestId<HTMLSelectElement>("default-country");
    b.hub.settings = { ...b.hub.settings };
    // A value the mock (like the backend) refuses: not two letters.
    const bad = document.createElement("option");
    bad.value = "USA";
    select.appendChild(bad);
    await fireEvent.change(select, { target: { value: "USA" } });
    expect((await screen.findByTestId("error-code")).textContent).toBe("INVALID_PATIENT_CONTEXT");
    await waitFor(() => expect(select.value).toBe("US"));
    expect(b.hub.settings.country).toBe("US");
  });

  it("speaks Chinese", async () => {
    backend({ modelPath: "/models/med.gguf", settings: { country: "CN", language: "zh" } });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    await fireEvent.click(screen.getByTestId("open-settings"));
    const section = await screen.findByTestId("country-settings");
    await waitFor(() => expect(section.textContent).toContain("急救电话"));
  });
});
