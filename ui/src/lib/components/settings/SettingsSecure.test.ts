// Settings → Privacy, Local API and Remote engine, against the stateful mock backend.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../../App.svelte";
import type { ModelStatus } from "../../bindings/ModelStatus";
import type { Settings } from "../../bindings/Settings";
import SettingsPanel from "./SettingsPanel.svelte";
import { backend } from "../../../test/app";
import { settingsFixture } from "../../../test/fixtures";
import { hubMock } from "../../../test/hub";
import { secureMock, type SecureMock } from "../../../test/secure";
import { panelProps, serveMocks } from "../../../test/settings";

afterEach(() => clearMocks());

function setup(over: { settings?: Partial<Settings>; status?: ModelStatus; secure?: (m: SecureMock) => void } = {}) {
  const hub = hubMock({ settings: settingsFixture({ model_path: "/models/med.gguf", ...over.settings }) });
  const secure = secureMock({ settings: () => hub.settings, setSettings: (s) => (hub.settings = s) });
  over.secure?.(secure);
  serveMocks(secure, hub);
  const props = panelProps(hub.settings, over.status);
  const r = render(SettingsPanel, props);
  return { hub, secure, props, ...r };
}

const input = (id: string) => screen.getByTestId<HTMLInputElement>(id);
const button = (id: string) => screen.getByTestId<HTMLButtonElement>(id);

describe("Settings → Privacy", () => {
  it("says where the key is, and switches to a passphrase only when two match and are long enough", async () => {
    const { secure } = setup();
    await waitFor(() =>
      expect(screen.getByTestId("privacy-status").textContent?.trim()).toBe(
        "History encrypted on disk; key kept in the system keyring (Secret Service).",
      ),
    );
    expect(screen.queryByTestId("privacy-use-keychain")).toBeNull();
    await fireEvent.click(screen.getByTestId("privacy-use-passphrase"));
    expect(screen.getByTestId("privacy-form").textContent).toContain("cannot be recovered");
    expect(button("privacy-save").disabled).toBe(true);
    await fireEvent.input(input("passphrase-new"), { target: { value: "seven77" } });
    await fireEvent.input(input("passphrase-confirm"), { target: { value: "seven77" } });
    expect(button("privacy-save").disabled).toBe(true);
    await fireEvent.input(input("passphrase-new"), { target: { value: "a long passphrase" } });
    await fireEvent.input(input("passphrase-confirm"), { target: { value: "a long passphrase" } });
    await fireEvent.click(button("privacy-save"));
    await waitFor(() => expect(screen.getByTestId("privacy-status").dataset.mode).toBe("passphrase"));
    expect(secure.calls.filter(([c]) => c === "set_history_passphrase").map(([, a]) => a)).toEqual([{ passphrase: "a long passphrase" }]);
    expect(screen.getByTestId("privacy-status").textContent).toContain("protected by your passphrase");
    expect(screen.getByTestId("privacy-done").textContent).toBe("The history is now protected by your passphrase.");
    expect(screen.queryByTestId("privacy-form")).toBeNull();
    expect(screen.getByTestId("privacy-use-passphrase").textContent?.trim()).toBe("Change the passphrase…");

    // And back to the keychain: null.
    await fireEvent.click(button("privacy-use-keychain"));
    await waitFor(() => expect(screen.getByTestId("privacy-status").dataset.mode).toBe("keychain"));
    expect(secure.calls.filter(([c]) => c === "set_history_passphrase").map(([, a]) => a)[1]).toEqual({ passphrase: null });
    expect(screen.getByTestId("privacy-done").textContent).toBe("The history's key is now kept in the keychain.");
  });

  it("shows NO_KEYCHAIN inline and stays on the passphrase", async () => {
    setup({
      secure: (m) => {
        m.history = { state: "open", mode: "passphrase" };
        m.noKeychain = "no keychain keeps keys across reboots on this system";
      },
    });
    await waitFor(() => expect(screen.getByTestId("privacy-status").dataset.mode).toBe("passphrase"));
    await fireEvent.click(button("privacy-use-keychain"));
    const err = await screen.findByTestId("privacy-error");
    expect(err.textContent).toContain("NO_KEYCHAIN");
    expect(err.textContent).toContain("no keychain keeps keys across reboots");
    expect(screen.getByTestId("privacy-status").dataset.mode).toBe("passphrase");
  });
});

describe("Settings → Local API", () => {
  it("is off by default and explains who can reach it", async () => {
    const { secure } = setup();
    await waitFor(() => expect(input("api-enabled").checked).toBe(false));
    const about = screen.getByTestId("api-about").textContent;
    expect(about).toContain("127.0.0.1");
    expect(about).toContain("bearer token");
    expect(about).toContain("model loaded in the app");
    expect(screen.getByTestId("api-state").textContent?.trim()).toBe("Off");
    expect(screen.queryByTestId("api-show-key")).toBeNull();
    expect(secure.calls.map(([c]) => c)).not.toContain("reveal_api_key");
    expect(input("api-port").value).toBe("8089");
  });

  it("turns on and off, shows the address, and the key only after Show", async () => {
    const { secure } = setup();
    await waitFor(() => expect(input("api-enabled").disabled).toBe(false));
    await fireEvent.click(input("api-enabled"));
    await waitFor(() => expect(screen.getByTestId("api-base-url").textContent).toBe("http://127.0.0.1:8089/v1"));
    expect(input("api-enabled").checked).toBe(true);
    expect(secure.calls.find(([c]) => c === "set_api_server")?.[1]).toEqual({ enabled: true, port: 8089 });

    // The key stays hidden until asked for.
    expect(document.body.textContent).not.toContain(secure.apiKey);
    expect(secure.calls.map(([c]) => c)).not.toContain("reveal_api_key");
    await fireEvent.click(button("api-show-key"));
    expect((await screen.findByTestId("api-key")).textContent).toBe(secure.apiKey);
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await fireEvent.click(button("api-copy-key"));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(secure.apiKey));
    expect(button("api-copy-key").textContent?.trim()).toBe("Copied");
    await fireEvent.click(button("api-hide-key"));
    expect(screen.queryByTestId("api-key")).toBeNull();
    expect(document.body.textContent).not.toContain(secure.apiKey);

    await fireEvent.click(input("api-enabled"));
    await waitFor(() => expect(screen.getByTestId("api-state").textContent?.trim()).toBe("Off"));
    expect(input("api-enabled").checked).toBe(false);
    expect(secure.calls.filter(([c]) => c === "set_api_server").map(([, a]) => a)[1]).toEqual({ enabled: false, port: 8089 });
  });

  it("a taken port shows BIND_FAILED and leaves the toggle off", async () => {
    const { secure } = setup({ secure: (m) => (m.busyPorts = [9000]) });
    await waitFor(() => expect(input("api-enabled").disabled).toBe(false));
    await fireEvent.input(input("api-port"), { target: { value: "9000" } });
    await fireEvent.click(input("api-enabled"));
    const err = await screen.findByTestId("api-error");
    expect(err.textContent).toContain("BIND_FAILED");
    expect(err.textContent).toContain("127.0.0.1:9000");
    await waitFor(() => expect(input("api-enabled").checked).toBe(false));
    expect(screen.getByTestId("api-state").textContent?.trim()).toBe("Off");
    expect(screen.queryByTestId("api-show-key")).toBeNull();
    expect(secure.api.enabled).toBe(false);

    // Another port works.
    await fireEvent.input(input("api-port"), { target: { value: "9001" } });
    await fireEvent.click(input("api-enabled"));
    await waitFor(() => expect(screen.getByTestId("api-base-url").textContent).toBe("http://127.0.0.1:9001/v1"));
    expect(screen.queryByTestId("api-error")).toBeNull();
  });

  it("refuses ports outside 1024–65535 without asking the backend", async () => {
    const { secure } = setup();
    await waitFor(() => expect(input("api-enabled").disabled).toBe(false));
    await fireEvent.input(input("api-port"), { target: { value: "80" } });
    expect(input("api-port").getAttribute("aria-invalid")).toBe("true");
    await fireEvent.click(input("api-enabled"));
    expect(input("api-enabled").checked).toBe(false);
    expect(secure.calls.map(([c]) => c)).not.toContain("set_api_server");
  });

  it("a new key needs confirmation, and hides the old one", async () => {
    const { secure } = setup({ secure: (m) => (m.api = { enabled: true, port: 8089, base_url: "http://127.0.0.1:8089/v1" }) });
    await fireEvent.click(await screen.findByTestId("api-show-key"));
    const old = secure.apiKey;
    expect((await screen.findByTestId("api-key")).textContent).toBe(old);
    await fireEvent.click(button("api-regenerate"));
    expect(screen.getByTestId("api-regenerate-confirm").textContent).toContain("401");
    expect(secure.calls.map(([c]) => c)).not.toContain("regenerate_api_key");
    await fireEvent.click(button("api-regenerate-confirm-no"));
    expect(screen.queryByTestId("api-regenerate-confirm")).toBeNull();
    await fireEvent.click(button("api-regenerate"));
    await fireEvent.click(button("api-regenerate-confirm-yes"));
    await screen.findByTestId("api-regenerated");
    expect(secure.apiKey).not.toBe(old);
    expect(screen.queryByTestId("api-key")).toBeNull();
    await fireEvent.click(button("api-show-key"));
    expect((await screen.findByTestId("api-key")).textContent).toBe(secure.apiKey);
  });

  it("forgets a shown key when Settings closes", async () => {
    const { secure, unmount } = setup({ secure: (m) => (m.api = { enabled: true, port: 8089, base_url: "http://127.0.0.1:8089/v1" }) });
    await fireEvent.click(await screen.findByTestId("api-show-key"));
    await screen.findByTestId("api-key");
    unmount();
    expect(document.body.textContent).not.toContain(secure.apiKey);
    render(SettingsPanel, panelProps(settingsFixture()));
    await screen.findByTestId("api-show-key");
    expect(screen.queryByTestId("api-key")).toBeNull();
  });
});

describe("Settings → Remote engine", () => {
  const KEY = "sk-remote-0123456789abcdefghijklmnop";

  it("saves the server's settings, trimmed", async () => {
    const { hub, props } = setup();
    expect(input("remote-enabled").checked).toBe(false);
    expect(button("remote-save").disabled).toBe(true);
    await fireEvent.click(input("remote-enabled"));
    await fireEvent.input(input("remote-url"), { target: { value: " https://gpu.clinic.example/v1 " } });
    await fireEvent.input(input("remote-model"), { target: { value: "baichuan-m2" } });
    await fireEvent.click(button("remote-save"));
    await screen.findByTestId("remote-saved");
    expect(hub.settings.remote).toEqual({ enabled: true, base_url: "https://gpu.clinic.example/v1", model: "baichuan-m2" });
    expect(props.onSettings).toHaveBeenCalled();
    expect(props.onSettings.mock.calls[0][0].remote.enabled).toBe(true);
    expect(props.onError).not.toHaveBeenCalled();
  });

  it("shows INVALID_ENDPOINT by the address and saves nothing", async () => {
    const { hub, props } = setup();
    await fireEvent.click(input("remote-enabled"));
    await fireEvent.input(input("remote-url"), { target: { value: "http://gpu.clinic.example/v1" } });
    await fireEvent.click(button("remote-save"));
    const msg = await screen.findByTestId("remote-invalid");
    expect(msg.textContent).toContain("plain http is allowed only on this computer or a private network");
    expect(input("remote-url").getAttribute("aria-invalid")).toBe("true");
    expect(input("remote-url").getAttribute("aria-describedby")).toBe(msg.id);
    expect(hub.settings.remote.enabled).toBe(false);
    expect(props.onSettings).not.toHaveBeenCalled();
    expect(screen.queryByTestId("remote-saved")).toBeNull();
    // Connect does not go ahead with a refused address.
    await fireEvent.click(button("remote-connect"));
    await waitFor(() => expect(screen.getByTestId("remote-invalid")).toBeTruthy());
    expect(props.onConnect).not.toHaveBeenCalled();
  });

  it("Connect saves first, then loads", async () => {
    const { hub, props } = setup();
    expect(screen.queryByTestId("remote-connect")).toBeNull();
    await fireEvent.click(input("remote-enabled"));
    await fireEvent.input(input("remote-url"), { target: { value: "http://192.168.1.20:8000/v1" } });
    await fireEvent.click(button("remote-connect"));
    await waitFor(() => expect(props.onConnect).toHaveBeenCalledOnce());
    expect(hub.settings.remote).toEqual({ enabled: true, base_url: "http://192.168.1.20:8000/v1", model: "" });
  });

  it("saves the server key, clears the field and never shows it again", async () => {
    const { secure } = setup();
    await waitFor(() => expect(screen.getByTestId("remote-key-status").textContent).toBe("Not saved"));
    const field = input("remote-key-input");
    expect(field.type).toBe("password");
    await fireEvent.input(field, { target: { value: KEY } });
    await fireEvent.click(button("remote-key-save"));
    await waitFor(() => expect(screen.getByTestId("remote-key-status").textContent).toBe("Saved in the system keyring (Secret Service)"));
    expect(secure.calls.find(([c]) => c === "set_remote_api_key")?.[1]).toEqual({ key: KEY });
    expect(field.value).toBe("");
    expect(field.placeholder).toBe("Enter a new key to replace it");
    expect(document.body.innerHTML).not.toContain(KEY);
    await fireEvent.click(button("remote-key-clear"));
    await waitFor(() => expect(screen.getByTestId("remote-key-status").textContent).toBe("Not saved"));
    expect(secure.calls.map(([c]) => c)).toContain("clear_remote_api_key");
  });

  it("a connected http server: the model section says remote, and the section warns", () => {
    setup({
      settings: { remote: { enabled: true, base_url: "http://10.0.0.5:8000/v1", model: "" } },
      status: {
        state: "ready",
        info: {
          path: "http://10.0.0.5:8000/v1",
          name: "baichuan-m2",
          format: "remote",
          architecture: "remote",
          device: "remote:10.0.0.5",
          on_cpu: false,
          context_length: 32768,
          load_s: 0.3,
          draft: null,
          notices: [{ kind: "insecure_remote", host: "10.0.0.5" }],
          isq: null,
          layers: null,
        },
      },
    });
    expect(screen.getByTestId("model-format").textContent).toBe("remote server");
    expect(screen.getByTestId("remote-connected").textContent).toBe("Connected: baichuan-m2 (remote:10.0.0.5)");
    expect(screen.getByTestId("remote-insecure").textContent).toContain("Plain http");
    expect(screen.getByTestId("model-info-notices").textContent).toContain("plain http");
    expect(screen.queryByTestId("model-layers")).toBeNull();
    expect(document.body.textContent).not.toContain("Running on CPU");
  });
});

describe("Remote engine in the app", () => {
  it("Connect loads the remote server and the header says so", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await waitFor(() => expect(screen.getByTestId("cpu-warning")).toBeTruthy());
    await fireEvent.click(screen.getByTestId("open-settings"));
    await fireEvent.click(await screen.findByTestId("remote-enabled"));
    await fireEvent.input(input("remote-url"), { target: { value: "https://gpu.clinic.example/v1" } });
    await fireEvent.click(button("remote-connect"));
    await waitFor(() => expect(screen.getByTestId("remote-connected").textContent).toContain("remote:gpu.clinic.example"));
    expect(b.calls.filter((c) => c === "load_model")).toHaveLength(2);
    expect(b.calls.lastIndexOf("set_remote_engine")).toBeLessThan(b.calls.lastIndexOf("load_model"));
    // Settings stays open to show the result; the header has changed behind it.
    expect(screen.getByTestId("settings")).toBeTruthy();
    expect(screen.getByTestId("remote-hint")).toBeTruthy();
    expect(screen.queryByTestId("cpu-warning")).toBeNull();

    // Turning it off offers the way back to the local model.
    await fireEvent.click(input("remote-enabled"));
    expect(button("remote-connect").textContent?.trim()).toBe("Switch back to the local model");
    await fireEvent.click(button("remote-connect"));
    await waitFor(() => expect(screen.getByTestId("cpu-warning")).toBeTruthy());
    expect(b.hub.settings.remote.enabled).toBe(false);
    expect(screen.queryByTestId("remote-hint")).toBeNull();
  });
});
