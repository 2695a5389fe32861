/**
 * The whole backend for App tests: settings and model loading here, the model commands from
 * hub.ts, the consultation commands from consult.ts.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ChatEvent } from "../lib/bindings/ChatEvent";
import type { ConsultationView } from "../lib/bindings/ConsultationView";
import type { ErrorPayload } from "../lib/bindings/ErrorPayload";
import type { HistoryStatus } from "../lib/bindings/HistoryStatus";
import type { ModelInfo } from "../lib/bindings/ModelInfo";
import type { ModelsOverview } from "../lib/bindings/ModelsOverview";
import type { Settings } from "../lib/bindings/Settings";
import { consultMock, NOT_CONSULT, type ConsultMock, type RunningTurn } from "./consult";
import { settingsFixture } from "./fixtures";
import { hubMock, NOT_HUB, type HubMock } from "./hub";
import { NOT_SECURE, remoteInfo, secureMock, type SecureMock } from "./secure";

/** The commands that read or write the history: refused with HISTORY_LOCKED while it is closed. */
const HISTORY_COMMANDS = new Set([
  "list_consultations",
  "new_consultation",
  "open_consultation",
  "update_consultation",
  "delete_consultation",
  "search_history",
  "consult_send",
  "consult_edit",
  "consult_regenerate",
  "export_consultation",
]);

export const cpuModel: ModelInfo = {
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
  layers: null,
};

export interface Backend {
  calls: string[];
  /** The model commands (overview, downloads, …). */
  hub: HubMock;
  /** The consultation commands (history, turns, …). */
  consult: ConsultMock;
  /** The history's lock, the local API and the remote engine. */
  secure: SecureMock;
  /** The latest turn (consult_send / _edit / _regenerate). */
  turn: () => RunningTurn;
  /** A model event in the latest turn. */
  emit: (ev: ChatEvent) => void;
  finish: () => void;
  /** Rejects set_thinking with this. */
  setThinkingRejects: ErrorPayload | null;
}

export function backend(
  opts: {
    modelPath: string | null;
    info?: ModelInfo;
    overview?: ModelsOverview;
    views?: ConsultationView[];
    settings?: Partial<Settings>;
    /** The history's state at start (open with the keychain's key by default). */
    history?: HistoryStatus;
    /** The passphrase that opens a locked history. */
    passphrase?: string;
  } = { modelPath: "/models/med.gguf" },
): Backend {
  const hub = hubMock({ overview: opts.overview });
  const consult = consultMock({
    views: opts.views,
    defaultThinking: () => hub.settings.thinking,
    defaultCountry: () => hub.settings.country,
  });
  const secure = secureMock({
    settings: () => hub.settings,
    setSettings: (s) => (hub.settings = s),
    history: opts.history,
    passphrase: opts.passphrase,
  });
  const b: Backend = {
    calls: [],
    hub,
    consult,
    secure,
    turn: () => consult.latest(),
    emit: (ev) => consult.latest().chat(ev),
    finish: () => consult.latest().finish(),
    setThinkingRejects: null,
  };
  hub.settings = settingsFixture({ model_path: opts.modelPath, ...opts.settings });
  mockIPC((cmd, args: any) => {
    b.calls.push(cmd);
    switch (cmd) {
      case "get_settings":
        return hub.settings;
      case "model_status":
        return { state: "none" };
      case "set_model_path":
        if (args.path === "/bad") throw { code: "MODEL_NOT_FOUND", message: "Nothing at /bad" };
        hub.settings = { ...hub.settings, model_path: args.path };
        return hub.settings;
      case "set_thinking":
        if (b.setThinkingRejects) throw b.setThinkingRejects;
        hub.settings = { ...hub.settings, thinking: args.mode };
        return hub.settings;
      case "set_hide_previews":
        hub.settings = { ...hub.settings, hide_previews: args.hide };
        return hub.settings;
      case "set_technical_details":
        hub.settings = { ...hub.settings, technical_details: args.show };
        return hub.settings;
      case "set_language":
        hub.settings = { ...hub.settings, language: args.language };
        return hub.settings;
      case "set_country": {
        // The backend's rule (PatientContext::validated): two letters, "uk" is GB, blank is none.
        const c = typeof args.country === "string" ? args.country.trim().toUpperCase() : "";
        if (c !== "" && !/^[A-Z]{2}$/.test(c)) throw { code: "INVALID_PATIENT_CONTEXT", message: `jurisdiction: must be a two-letter country code (got "${args.country}")` };
        hub.settings = { ...hub.settings, country: c === "" ? null : c === "UK" ? "GB" : c };
        return hub.settings;
      }
      case "load_model":
        if (hub.settings.remote.enabled) return remoteInfo(hub.settings.remote);
        return { ...(opts.info ?? cpuModel), path: hub.settings.model_path };
      case "stop_generation":
        return null;
    }
    if (HISTORY_COMMANDS.has(cmd) && !["open", "unsaved"].includes(secure.history.state)) {
      throw { code: "HISTORY_LOCKED", message: "the consultation history is locked: enter its passphrase" };
    }
    const sec = secure.handle(cmd, args);
    if (sec !== NOT_SECURE) return sec;
    const c = consult.handle(cmd, args);
    if (c !== NOT_CONSULT) return c;
    const r = hub.handle(cmd, args);
    if (r === NOT_HUB) throw { code: "UNKNOWN_COMMAND", message: cmd };
    return r;
  });
  return b;
}
