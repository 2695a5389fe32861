/**
 * The only module that talks to the Rust backend. Components never call
 * `invoke` directly.
 *
 * Every rejection is normalised to an ErrorPayload `{ code, message }`.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import type { ChatEvent } from "./bindings/ChatEvent";
import type { ChatMessage } from "./bindings/ChatMessage";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import type { DownloadReport } from "./bindings/DownloadReport";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { HubSettings } from "./bindings/HubSettings";
import type { ModelInfo } from "./bindings/ModelInfo";
import type { ModelsOverview } from "./bindings/ModelsOverview";
import type { ModelStatus } from "./bindings/ModelStatus";
import type { SecretStatus } from "./bindings/SecretStatus";
import type { Settings } from "./bindings/Settings";
import type { ThinkingMode } from "./bindings/ThinkingMode";
import type { VerifyReport } from "./bindings/VerifyReport";

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as ErrorPayload).code === "string" &&
    typeof (e as ErrorPayload).message === "string"
  );
}

export function toErrorPayload(e: unknown): ErrorPayload {
  if (isErrorPayload(e)) return { code: e.code, message: e.message };
  if (typeof window !== "undefined" && !("__TAURI_INTERNALS__" in window)) {
    return {
      code: "NO_BACKEND",
      message: "The Anamnesis backend is not reachable (is the app running outside the desktop shell?).",
    };
  }
  if (typeof e === "string") return { code: "BACKEND_ERROR", message: e };
  if (e instanceof Error) return { code: "INTERNAL", message: e.message };
  return { code: "UNKNOWN", message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toErrorPayload(e);
  }
}

export function getSettings(): Promise<Settings> {
  return call<Settings>("get_settings");
}

export function setModelPath(path: string): Promise<Settings> {
  return call<Settings>("set_model_path", { path });
}

export function setThinking(mode: ThinkingMode): Promise<Settings> {
  return call<Settings>("set_thinking", { mode });
}

export function loadModel(): Promise<ModelInfo> {
  return call<ModelInfo>("load_model");
}

export function modelStatus(): Promise<ModelStatus> {
  return call<ModelStatus>("model_status");
}

/**
 * Streams one answer. `onEvent` receives every ChatEvent (in order); the
 * promise resolves once the backend has finished (after `done`).
 */
export function sendMessage(
  messages: ChatMessage[],
  thinking: ThinkingMode,
  onEvent: (ev: ChatEvent) => void,
): Promise<void> {
  const channel = new Channel<ChatEvent>();
  channel.onmessage = onEvent;
  return call<void>("send_message", { messages, thinking, onEvent: channel });
}

export function stopGeneration(): Promise<void> {
  return call<void>("stop_generation");
}

/** The machine, the planner's recommendation, the catalog and what is in the models folder. */
export function getOverview(): Promise<ModelsOverview> {
  return call<ModelsOverview>("get_overview");
}

/**
 * Downloads (or resumes) one catalog variant, streaming DownloadEvents to `onEvent`.
 * Rejects with code PAUSED or CANCELLED when stopped by `pauseDownload` / `cancelDownload`.
 */
export function startDownload(variant: string, onEvent: (ev: DownloadEvent) => void): Promise<DownloadReport> {
  const channel = new Channel<DownloadEvent>();
  channel.onmessage = onEvent;
  return call<DownloadReport>("start_download", { variant, onEvent: channel });
}

/** Stops the download and keeps its data; `startDownload` resumes it. */
export function pauseDownload(variant: string): Promise<void> {
  return call<void>("pause_download", { variant });
}

/** Stops the download and deletes its partial data. */
export function cancelDownload(variant: string): Promise<void> {
  return call<void>("cancel_download", { variant });
}

export function verifyModel(variant: string): Promise<VerifyReport> {
  return call<VerifyReport>("verify_model", { variant });
}

/** Deletes a downloaded variant's folder; answers with the refreshed overview. */
export function deleteModel(variant: string): Promise<ModelsOverview> {
  return call<ModelsOverview>("delete_model", { variant });
}

/** Points the settings at a downloaded variant (its template, its draft if installed). */
export function useModel(variant: string): Promise<Settings> {
  return call<Settings>("use_model", { variant });
}

export function setModelsDir(path: string): Promise<Settings> {
  return call<Settings>("set_models_dir", { path });
}

/** Rejects with INVALID_ENDPOINT (message for the field) on a bad URL. */
export function setHubSettings(hub: HubSettings): Promise<Settings> {
  return call<Settings>("set_hub_settings", { hub });
}

/** Whether a Hugging Face token is saved; the token itself never comes back. */
export function tokenStatus(): Promise<SecretStatus> {
  return call<SecretStatus>("token_status");
}

export function setHfToken(token: string): Promise<SecretStatus> {
  return call<SecretStatus>("set_hf_token", { token });
}

export function clearHfToken(): Promise<SecretStatus> {
  return call<SecretStatus>("clear_hf_token");
}

function firstPath(p: string | string[] | null): string | null {
  if (p === null) return null;
  return Array.isArray(p) ? (p[0] ?? null) : p;
}

/** Native folder picker. */
export async function chooseFolder(title: string): Promise<string | null> {
  try {
    return firstPath(await open({ directory: true, multiple: false, title }));
  } catch (e) {
    throw toErrorPayload(e);
  }
}

/** Native folder picker (safetensors model directory). */
export function chooseModelFolder(): Promise<string | null> {
  return chooseFolder("Choose a model folder");
}

/** Native file picker for a .gguf file. */
export async function chooseGgufFile(): Promise<string | null> {
  try {
    return firstPath(
      await open({
        directory: false,
        multiple: false,
        title: "Choose a .gguf model file",
        filters: [{ name: "GGUF", extensions: ["gguf"] }],
      }),
    );
  } catch (e) {
    throw toErrorPayload(e);
  }
}
