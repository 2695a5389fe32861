import { afterEach, describe, expect, it, vi } from "vitest";
import { Channel } from "@tauri-apps/api/core";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ConsultEvent } from "./bindings/ConsultEvent";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import * as ipc from "./ipc";

afterEach(() => clearMocks());

// Deliver a message to a Channel the way the Tauri runtime does.
function emit<T>(channel: Channel<T>, index: number, message: T) {
  (window as any).__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
}

describe("ipc", () => {
  it("consult_send passes id, text and a Channel (no thinking mode: the consultation has one), and streams ConsultEvents in order", async () => {
    let received: Record<string, unknown> | undefined;
    mockIPC((cmd, args) => {
      if (cmd !== "consult_send") throw new Error(`unexpected ${cmd}`);
      received = args as Record<string, unknown>;
      const ch = received.onEvent as Channel<ConsultEvent>;
      emit(ch, 0, { type: "triage", triage: { level: "routine", rules: [], advice: "", emergency_number: null, crisis_line: null } });
      emit(ch, 2, { type: "chat", event: { type: "content", text: "Hi" } }); // out of order on purpose
      emit(ch, 1, { type: "saved", user_message_id: 3, assistant_message_id: 4 });
      return null;
    });
    const events: ConsultEvent[] = [];
    await ipc.consultSend(9, "hello", (e) => events.push(e));
    expect(Object.keys(received ?? {}).sort()).toEqual(["id", "onEvent", "text"]);
    expect(received?.id).toBe(9);
    expect(received?.text).toBe("hello");
    expect(received?.onEvent).toBeInstanceOf(Channel);
    expect(events.map((e) => e.type)).toEqual(["triage", "saved", "chat"]);
  });

  it("consultation commands use the documented names and camelCase arguments", async () => {
    const calls: [string, any][] = [];
    mockIPC((cmd, args) => {
      const { onEvent, ...rest } = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, onEvent ? { ...rest, onEvent: onEvent instanceof Channel } : rest]);
      return null;
    });
    const patient = { age_years: 34, sex: "female" as const, pregnancy: null, weight_kg: null, allergies: [], medications: [], conditions: [], jurisdiction: "US" };
    await ipc.listConsultations();
    await ipc.newConsultation();
    await ipc.openConsultation(1);
    await ipc.updateConsultation(1, "T", null, patient);
    await ipc.updateConsultation(2, null, null, null, "off");
    await ipc.deleteConsultation(1);
    await ipc.searchHistory("fever");
    await ipc.consultEdit(1, 5, "new", () => {});
    await ipc.consultRegenerate(1, () => {});
    await ipc.parseAnswer("## Summary");
    await ipc.exportConsultation(1, true, "/tmp/a.md");
    await ipc.setLanguage("zh");
    expect(calls).toEqual([
      ["list_consultations", {}],
      ["new_consultation", {}],
      ["open_consultation", { id: 1 }],
      ["update_consultation", { id: 1, title: "T", chiefComplaint: null, patient, thinking: null }],
      ["update_consultation", { id: 2, title: null, chiefComplaint: null, patient: null, thinking: "off" }],
      ["delete_consultation", { id: 1 }],
      ["search_history", { query: "fever" }],
      ["consult_edit", { id: 1, messageId: 5, text: "new", onEvent: true }],
      ["consult_regenerate", { id: 1, onEvent: true }],
      ["parse_answer", { text: "## Summary" }],
      ["export_consultation", { id: 1, includeReasoning: true, path: "/tmp/a.md" }],
      ["set_language", { language: "zh" }],
    ]);
  });

  it("a rejected invoke surfaces the {code, message} payload", async () => {
    mockIPC((cmd) => {
      if (cmd === "set_model_path") throw { code: "MODEL_NOT_FOUND", message: "No such file: /x" };
    });
    await expect(ipc.setModelPath("/x")).rejects.toEqual({ code: "MODEL_NOT_FOUND", message: "No such file: /x" });
  });

  it("a rejected consult_send surfaces {code, message}", async () => {
    mockIPC(() => {
      throw { code: "NO_MODEL", message: "No model loaded" };
    });
    await expect(ipc.consultSend(1, "q", () => {})).rejects.toEqual({ code: "NO_MODEL", message: "No model loaded" });
  });

  it("string rejections are normalised to an ErrorPayload", async () => {
    mockIPC(() => {
      throw "something broke";
    });
    await expect(ipc.loadModel()).rejects.toEqual({ code: "BACKEND_ERROR", message: "something broke" });
  });

  it("uses the documented command and argument names", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "get_settings" || cmd === "set_model_path" || cmd === "set_thinking")
        return { model_path: "/m", thinking: "on" };
      if (cmd === "model_status") return { state: "none" };
      return null;
    });
    await ipc.getSettings();
    await ipc.setModelPath("/m");
    await ipc.setThinking("on");
    await ipc.modelStatus();
    await ipc.loadModel();
    await ipc.stopGeneration();
    expect(calls.map((c) => c[0])).toEqual([
      "get_settings",
      "set_model_path",
      "set_thinking",
      "model_status",
      "load_model",
      "stop_generation",
    ]);
    expect(calls[1][1]).toEqual({ path: "/m" });
    expect(calls[2][1]).toEqual({ mode: "on" });
  });

  it("model commands use the documented names and camelCase arguments", async () => {
    const calls: [string, any][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    const hub = { endpoint: null, mirrors: ["https://hf-mirror.com"], modelscope: true };
    await ipc.getOverview();
    await ipc.pauseDownload("v");
    await ipc.cancelDownload("v");
    await ipc.verifyModel("v");
    await ipc.deleteModel("v");
    await ipc.useModel("v");
    await ipc.setModelsDir("/models");
    await ipc.setHubSettings(hub);
    await ipc.tokenStatus();
    await ipc.setHfToken("hf_x");
    await ipc.clearHfToken();
    expect(calls).toEqual([
      ["get_overview", {}],
      ["pause_download", { variant: "v" }],
      ["cancel_download", { variant: "v" }],
      ["verify_model", { variant: "v" }],
      ["delete_model", { variant: "v" }],
      ["use_model", { variant: "v" }],
      ["set_models_dir", { path: "/models" }],
      ["set_hub_settings", { hub }],
      ["token_status", {}],
      ["set_hf_token", { token: "hf_x" }],
      ["clear_hf_token", {}],
    ]);
  });

  it("start_download streams DownloadEvents over a Channel; PAUSED rejects as a payload", async () => {
    let received: Record<string, unknown> | undefined;
    mockIPC((cmd, args) => {
      if (cmd !== "start_download") throw new Error(`unexpected ${cmd}`);
      received = args as Record<string, unknown>;
      const ch = received.onEvent as Channel<DownloadEvent>;
      emit(ch, 0, { type: "verifying", file: "a" });
      emit(ch, 1, { type: "file_done", file: "a", skipped: false });
      throw { code: "PAUSED", message: "Download paused" };
    });
    const events: DownloadEvent[] = [];
    await expect(ipc.startDownload("qwen3-0.6b", (e) => events.push(e))).rejects.toEqual({ code: "PAUSED", message: "Download paused" });
    expect(received?.variant).toBe("qwen3-0.6b");
    expect(received?.onEvent).toBeInstanceOf(Channel);
    expect(events.map((e) => e.type)).toEqual(["verifying", "file_done"]);
  });

  it("history, local API and remote engine commands use the documented names and arguments", async () => {
    const calls: [string, any][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args ?? {}]);
      return null;
    });
    const remote = { enabled: true, base_url: "https://gpu.clinic.example/v1", model: "" };
    await ipc.historyStatus();
    await ipc.unlockHistory("pass phrase");
    await ipc.setHistoryPassphrase("new pass phrase");
    await ipc.setHistoryPassphrase(null);
    await ipc.apiServerStatus();
    await ipc.setApiServer(true, 8089);
    await ipc.revealApiKey();
    await ipc.regenerateApiKey();
    await ipc.setRemoteEngine(remote);
    await ipc.remoteKeyStatus();
    await ipc.setRemoteApiKey("sk-x");
    await ipc.clearRemoteApiKey();
    expect(calls).toEqual([
      ["history_status", {}],
      ["unlock_history", { passphrase: "pass phrase" }],
      ["set_history_passphrase", { passphrase: "new pass phrase" }],
      ["set_history_passphrase", { passphrase: null }],
      ["api_server_status", {}],
      ["set_api_server", { enabled: true, port: 8089 }],
      ["reveal_api_key", {}],
      ["regenerate_api_key", {}],
      ["set_remote_engine", { remote }],
      ["remote_key_status", {}],
      ["set_remote_api_key", { key: "sk-x" }],
      ["clear_remote_api_key", {}],
    ]);
  });

  it("HISTORY_LOCKED from any command calls the lock handler, and still rejects", async () => {
    const locked = vi.fn();
    ipc.setHistoryLockedHandler(locked);
    try {
      mockIPC((cmd) => {
        if (cmd === "list_consultations") throw { code: "HISTORY_LOCKED", message: "locked" };
        throw { code: "NOT_FOUND", message: "no" };
      });
      await expect(ipc.openConsultation(1)).rejects.toEqual({ code: "NOT_FOUND", message: "no" });
      expect(locked).not.toHaveBeenCalled();
      await expect(ipc.listConsultations()).rejects.toEqual({ code: "HISTORY_LOCKED", message: "locked" });
      expect(locked).toHaveBeenCalledOnce();
    } finally {
      ipc.setHistoryLockedHandler(null);
    }
  });

  it("reports NO_BACKEND outside the desktop shell", () => {
    clearMocks();
    delete (window as any).__TAURI_INTERNALS__;
    expect(ipc.toErrorPayload(new TypeError("x is undefined")).code).toBe("NO_BACKEND");
  });
});
