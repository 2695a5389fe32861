import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ModelsOverview } from "../../bindings/ModelsOverview";
import type { Settings } from "../../bindings/Settings";
import SettingsPanel from "./SettingsPanel.svelte";
import { gptq, qwenDraft, rtx4090Overview, settingsFixture } from "../../../test/fixtures";
import { commands, hubMock, type HubOptions } from "../../../test/hub";
import { panelProps, serveMocks } from "../../../test/settings";

afterEach(() => clearMocks());

const DIR = rtx4090Overview.models_dir;
const withInstalled: ModelsOverview = {
  ...rtx4090Overview,
  installed: [
    { id: gptq.id, dir: `${DIR}/${gptq.id}`, bytes: 19_480_000_000, partial_bytes: 0, verified_files: 12 },
    { id: qwenDraft.id, dir: `${DIR}/${qwenDraft.id}`, bytes: 800_000_000, partial_bytes: 800_000_000, verified_files: 0 },
  ],
};

/** Renders the panel with no model loaded and a spy for every callback. */
function renderPanel(settings: Settings) {
  const props = panelProps(settings);
  render(SettingsPanel, props);
  return props;
}

function setup(opts: HubOptions = {}) {
  const settings = settingsFixture({ model_path: `${DIR}/${gptq.id}`, variant: gptq.id });
  const hub = hubMock({ overview: withInstalled, settings, ...opts });
  serveMocks(hub);
  return { hub, props: renderPanel(settings) };
}

function row(id: string) {
  return screen.getAllByTestId("installed-model").find((r) => r.dataset.id === id)!;
}

describe("Settings → Models", () => {
  it("lists the models folder, free space and what is downloaded", async () => {
    setup();
    expect((await screen.findByTestId("models-dir")).textContent).toBe(DIR);
    expect(screen.getByTestId("models-free").textContent).toBe("812 GB free");
    const main = row(gptq.id);
    expect(main.textContent).toContain(gptq.label);
    expect(within(main).getByTestId("installed-size").textContent).toBe("19.5 GB");
    expect(main.textContent).toContain("12 files verified");
    expect(within(main).getByTestId("installed-in-use")).toBeTruthy();
    const draft = row(qwenDraft.id);
    expect(within(draft).getByTestId("installed-partial").textContent).toBe("(partial download, 800 MB)");
    // A draft, and a partial one at that, cannot be loaded on its own.
    expect(within(draft).queryByTestId("installed-use")).toBeNull();
  });

  it("Change… picks a folder and saves it with set_models_dir", async () => {
    const { hub, props } = setup();
    mockIPC((cmd, args: any) => {
      if (cmd === "plugin:dialog|open") return "/data/models";
      return hub.handle(cmd, args);
    });
    await fireEvent.click(await screen.findByTestId("models-dir-change"));
    await waitFor(() => expect(props.onSettings).toHaveBeenCalled());
    expect(hub.calls.find(([c]) => c === "set_models_dir")?.[1]).toEqual({ path: "/data/models" });
    expect(props.onSettings.mock.calls[0][0].models_dir).toBe("/data/models");
    await waitFor(() => expect(screen.getByTestId("models-dir").textContent).toBe("/data/models"));
  });

  it("Delete asks for confirmation, then the returned overview replaces the list", async () => {
    const { hub, props } = setup();
    await fireEvent.click(within(await waitFor(() => row(gptq.id))).getByTestId("installed-delete"));
    const confirm = screen.getByTestId("installed-delete-confirm");
    expect(confirm.textContent).toContain(`Delete ${gptq.label} (19.5 GB) from this computer?`);
    expect(confirm.textContent).toContain("It is the model in use.");
    expect(commands(hub)).not.toContain("delete_model");

    await fireEvent.click(screen.getByTestId("installed-delete-confirm-no"));
    expect(screen.queryByTestId("installed-delete-confirm")).toBeNull();
    expect(commands(hub)).not.toContain("delete_model");

    await fireEvent.click(within(row(gptq.id)).getByTestId("installed-delete"));
    await fireEvent.click(screen.getByTestId("installed-delete-confirm-yes"));
    await waitFor(() => expect(screen.getAllByTestId("installed-model")).toHaveLength(1));
    expect(hub.calls.find(([c]) => c === "delete_model")?.[1]).toEqual({ variant: gptq.id });
    expect(screen.getAllByTestId("installed-model")[0].dataset.id).toBe(qwenDraft.id);
    // It was the model in use: the settings are read again.
    await waitFor(() => expect(props.onSettings).toHaveBeenCalled());
    expect(props.onSettings.mock.calls[0][0].model_path).toBeNull();
  });

  it("Re-verify shows the failing files and their problem", async () => {
    setup({
      verify: () => ({
        dir: `${DIR}/${gptq.id}`,
        ok: false,
        files: [
          { path: "config.json", size: 1200, ok: true, problem: null },
          { path: "model-00001-of-00002.safetensors", size: 10_000_000_000, ok: false, problem: "wrong hash" },
          { path: "model-00002-of-00002.safetensors", size: 9_500_000_000, ok: false, problem: "missing" },
        ],
        bytes: 19_500_001_200,
        secs: 12.5,
      }),
    });
    await fireEvent.click(within(await waitFor(() => row(gptq.id))).getByTestId("installed-verify"));
    const report = await screen.findByTestId("verify-report");
    expect(report.dataset.ok).toBe("false");
    expect(report.textContent).toContain("2 of 3 files failed verification");
    const failed = within(report).getAllByTestId("verify-failed-file").map((li) => li.textContent);
    expect(failed).toEqual(["model-00001-of-00002.safetensors: wrong hash", "model-00002-of-00002.safetensors: missing"]);
  });

  it("Re-verify of a good model says so, with time and speed", async () => {
    setup({
      verify: () => ({ dir: `${DIR}/${gptq.id}`, ok: true, files: [{ path: "a", size: 1, ok: true, problem: null }], bytes: 19_500_000_000, secs: 12 }),
    });
    await fireEvent.click(within(await waitFor(() => row(gptq.id))).getByTestId("installed-verify"));
    const report = await screen.findByTestId("verify-report");
    expect(report.textContent).toContain("✓ All 1 file verified · 19.5 GB in 12 s (1.63 GB/s)");
  });

  it("'Set up a model…' asks for the onboarding screen", async () => {
    const { props } = setup();
    await fireEvent.click(await screen.findByTestId("models-setup"));
    expect(props.onSetup).toHaveBeenCalledOnce();
  });
});

describe("Settings → Download source", () => {
  it("saves endpoint, mirrors and ModelScope", async () => {
    const { hub, props } = setup();
    await fireEvent.input(screen.getByTestId("hub-endpoint"), { target: { value: " https://hf.internal.example " } });
    await fireEvent.input(screen.getByTestId("hub-mirrors"), { target: { value: "https://hf-mirror.com\n\n  https://mirror.two  \n" } });
    await fireEvent.click(screen.getByTestId("hub-modelscope"));
    await fireEvent.click(screen.getByTestId("hub-save"));
    await screen.findByTestId("hub-saved");
    expect(hub.calls.find(([c]) => c === "set_hub_settings")?.[1]).toEqual({
      hub: { endpoint: "https://hf.internal.example", mirrors: ["https://hf-mirror.com", "https://mirror.two"], modelscope: false },
    });
    expect(props.onSettings).toHaveBeenCalled();
  });

  it("shows INVALID_ENDPOINT by the field it names", async () => {
    const { props } = setup({
      invalidEndpoint: (hub) => (hub.mirrors.includes("ftp://nope") ? "ftp://nope is not an http(s) URL" : null),
    });
    expect(screen.getByTestId<HTMLInputElement>("hub-endpoint").placeholder).toBe("https://huggingface.co");
    await fireEvent.input(screen.getByTestId("hub-mirrors"), { target: { value: "ftp://nope" } });
    await fireEvent.click(screen.getByTestId("hub-save"));
    const msg = await screen.findByTestId("hub-invalid");
    expect(msg.textContent).toBe("ftp://nope is not an http(s) URL");
    const mirrors = screen.getByTestId("hub-mirrors");
    expect(mirrors.getAttribute("aria-invalid")).toBe("true");
    expect(mirrors.getAttribute("aria-describedby")).toBe(msg.id);
    expect(screen.getByTestId("hub-endpoint").getAttribute("aria-invalid")).toBe("false");
    expect(props.onError).not.toHaveBeenCalled();
    expect(screen.queryByTestId("hub-saved")).toBeNull();
  });
});

describe("Settings → Hugging Face token", () => {
  const SECRET = "hf_abcdefghijklmnopqrstuvwxyz0123456789";

  it("saves the token, clears the input and never shows it again", async () => {
    const { hub } = setup();
    await waitFor(() => expect(screen.getByTestId("token-status").textContent).toBe("Not saved"));
    const input = screen.getByTestId<HTMLInputElement>("token-input");
    expect(input.type).toBe("password");
    await fireEvent.input(input, { target: { value: SECRET } });
    await fireEvent.click(screen.getByTestId("token-save"));
    await waitFor(() => expect(screen.getByTestId("token-status").textContent).toBe("Saved in the system keyring (Secret Service)"));
    expect(hub.calls.find(([c]) => c === "set_hf_token")?.[1]).toEqual({ token: SECRET });
    expect(input.value).toBe("");
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(document.body.textContent).not.toContain(SECRET);

    await fireEvent.click(screen.getByTestId("token-clear"));
    await waitFor(() => expect(screen.getByTestId("token-status").textContent).toBe("Not saved"));
    expect(commands(hub)).toContain("clear_hf_token");
    expect(screen.queryByTestId("token-clear")).toBeNull();
  });

  it("shows the keychain's problem", async () => {
    const hub = hubMock();
    hub.token = { saved: false, keychain: null, problem: "No keychain is available: install gnome-keyring or KeePassXC." };
    mockIPC((cmd, args) => hub.handle(cmd, args));
    renderPanel(settingsFixture());
    await waitFor(() => expect(screen.getByTestId("token-status").textContent).toContain("No keychain is available"));
  });
});
