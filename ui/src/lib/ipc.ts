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
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ModelInfo } from "./bindings/ModelInfo";
import type { ModelStatus } from "./bindings/ModelStatus";
import type { Settings } from "./bindings/Settings";
import type { ThinkingMode } from "./bindings/ThinkingMode";

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

function firstPath(p: string | string[] | null): string | null {
  if (p === null) return null;
  return Array.isArray(p) ? (p[0] ?? null) : p;
}

/** Native folder picker (safetensors model directory). */
export async function chooseModelFolder(): Promise<string | null> {
  try {
    return firstPath(await open({ directory: true, multiple: false, title: "Choose a model folder" }));
  } catch (e) {
    throw toErrorPayload(e);
  }
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
