/**
 * The only module that talks to the Rust backend. Components never call
 * `invoke` directly.
 *
 * Every rejection is normalised to an ErrorPayload `{ code, message }`.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import { commands } from "./bindings/commands";
import { open, save } from "@tauri-apps/plugin-dialog";
import { openUrl } from "@tauri-apps/plugin-opener";
import type { ApiServerStatus } from "./bindings/ApiServerStatus";
import type { Attachment } from "./bindings/Attachment";
import type { AttachmentPreview } from "./bindings/AttachmentPreview";
import type { ConsultationSummary } from "./bindings/ConsultationSummary";
import type { ConsultationView } from "./bindings/ConsultationView";
import type { ConsultEvent } from "./bindings/ConsultEvent";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import type { DownloadReport } from "./bindings/DownloadReport";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { HistoryStatus } from "./bindings/HistoryStatus";
import type { HubSettings } from "./bindings/HubSettings";
import type { LoadChoice } from "./bindings/LoadChoice";
import type { LoadControls } from "./bindings/LoadControls";
import type { LoadEstimate } from "./bindings/LoadEstimate";
import type { MemoryFallback } from "./bindings/MemoryFallback";
import type { ModelInfo } from "./bindings/ModelInfo";
import type { ModelsOverview } from "./bindings/ModelsOverview";
import type { ModelStatus } from "./bindings/ModelStatus";
import type { PatientContext } from "./bindings/PatientContext";
import type { RemoteSettings } from "./bindings/RemoteSettings";
import type { SearchHit } from "./bindings/SearchHit";
import type { SecretStatus } from "./bindings/SecretStatus";
import type { SetAside } from "./bindings/SetAside";
import type { Settings } from "./bindings/Settings";
import type { ThinkingMode } from "./bindings/ThinkingMode";
import type { VerifyReport } from "./bindings/VerifyReport";
import { eventsDrained, FINISHED_WAIT_MS } from "./events";
import { t, type Lang } from "./i18n.svelte";

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
      code: "INTERNAL",
      message: "The Anamnesis backend is not reachable (is the app running outside the desktop shell?).",
    };
  }
  if (typeof e === "string") return { code: "BACKEND_ERROR", message: e };
  if (e instanceof Error) return { code: "INTERNAL", message: e.message };
  return { code: "UNKNOWN", message: String(e) };
}

/** The error code of any command that needs the history while it is locked. */
export const HISTORY_LOCKED = "HISTORY_LOCKED";

let onHistoryLocked: (() => void) | null = null;

/**
 * Called whenever a command fails with HISTORY_LOCKED (the app shows the lock screen again).
 * One listener; null removes it.
 */
export function setHistoryLockedHandler(handler: (() => void) | null) {
  onHistoryLocked = handler;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const err = toErrorPayload(e);
    if (err.code === HISTORY_LOCKED) onHistoryLocked?.();
    throw err;
  }
}

/** The generated, typed commands; every rejection normalised by `call`. */
const cmd = commands(call);

/**
 * Opens an http(s) URL in the system browser (the webview itself never leaves the app).
 * Callers pass only what `externalUrl` (links.ts) accepted, after the user confirmed.
 */
export async function openExternal(url: string): Promise<void> {
  try {
    await openUrl(url);
  } catch (e) {
    throw toErrorPayload(e);
  }
}

export function getSettings(): Promise<Settings> {
  return cmd.getSettings();
}

export function setModelPath(path: string): Promise<Settings> {
  return cmd.setModelPath(path);
}

/** The thinking mode new consultations start with (each consultation then keeps its own). */
export function setThinking(mode: ThinkingMode): Promise<Settings> {
  return cmd.setThinking(mode);
}

export function loadModel(): Promise<ModelInfo> {
  return cmd.loadModel();
}

export function modelStatus(): Promise<ModelStatus> {
  return cmd.modelStatus();
}

/** The UI language ("en" or "zh"); new consultations start in it. */
export function setLanguage(language: Lang): Promise<Settings> {
  return cmd.setLanguage(language);
}

/** The country new consultations start with (emergency numbers); null: none. */
export function setCountry(country: string | null): Promise<Settings> {
  return cmd.setCountry(country);
}

export function setHidePreviews(hide: boolean): Promise<Settings> {
  return cmd.setHidePreviews(hide);
}

/** Speeds, token counts and the device beside answers and the model name. */
export function setTechnicalDetails(show: boolean): Promise<Settings> {
  return cmd.setTechnicalDetails(show);
}

/** The history, most recently updated first. */
export function listConsultations(): Promise<ConsultationSummary[]> {
  return cmd.listConsultations();
}

export function newConsultation(): Promise<ConsultationView> {
  return cmd.newConsultation();
}

export function openConsultation(id: number): Promise<ConsultationView> {
  return cmd.openConsultation(id);
}

/**
 * Title, chief complaint, patient context and thinking mode; null (or an absent thinking mode)
 * leaves one unchanged. Rejects with INVALID_PATIENT_CONTEXT (its message names the field) on an
 * implausible context.
 */
export function updateConsultation(
  id: number,
  title: string | null,
  chiefComplaint: string | null,
  patient: PatientContext | null,
  thinking: ThinkingMode | null = null,
): Promise<ConsultationView> {
  return cmd.updateConsultation(id, title, chiefComplaint, patient, thinking);
}

/** Deletes it with its messages; answers with the list that is left. */
export function deleteConsultation(id: number): Promise<ConsultationSummary[]> {
  return cmd.deleteConsultation(id);
}

/** Full-text search over titles, complaints and messages; matches are marked «like this». */
export function searchHistory(query: string): Promise<SearchHit[]> {
  return cmd.searchHistory(query);
}

function consultChannel(onEvent: (ev: ConsultEvent) => void): Channel<ConsultEvent> {
  const channel = new Channel<ConsultEvent>();
  channel.onmessage = onEvent;
  return channel;
}

/**
 * One turn: `onEvent` receives, in order, the triage, the new title (an untitled consultation
 * only), the saved ids, the context notice, the model's ChatEvents and, for an answer that
 * ended on its own, its parsed sections; the promise resolves once the answer is saved.
 * The answer uses the consultation's stored thinking mode (`updateConsultation` changes it);
 * `attachments` (from `readAttachment`) are saved with the question.
 */
export function consultSend(
  id: number,
  text: string,
  attachments: Attachment[],
  onEvent: (ev: ConsultEvent) => void,
): Promise<void> {
  return cmd.consultSend(id, text, attachments, consultChannel(onEvent));
}

/**
 * The text of a document the user attached (plain text or PDF), extracted on this computer;
 * `data` is the file's bytes in base64. Rejects with an ATTACHMENT_* code when it has no
 * readable text, is too large or too long for the model.
 */
export function readAttachment(name: string, data: string): Promise<AttachmentPreview> {
  return cmd.readAttachment(name, data);
}

/** Edits a user message, deletes the turns after it and answers again (events as `consultSend`). */
export function consultEdit(
  id: number,
  messageId: number,
  text: string,
  onEvent: (ev: ConsultEvent) => void,
): Promise<void> {
  return cmd.consultEdit(id, messageId, text, consultChannel(onEvent));
}

/** Answers the last question again, in place of the last answer (events as `consultSend`). */
export function consultRegenerate(id: number, onEvent: (ev: ConsultEvent) => void): Promise<void> {
  return cmd.consultRegenerate(id, consultChannel(onEvent));
}

/** The consultation as a Markdown SOAP note (disclaimer always in); with a path, saved there too. */
export function exportConsultation(id: number, includeReasoning: boolean, path: string | null): Promise<string> {
  return cmd.exportConsultation(id, includeReasoning, path);
}

export function stopGeneration(): Promise<void> {
  return cmd.stopGeneration();
}

/** The machine, the planner's recommendation, the catalog and what is in the models folder. */
export function getOverview(): Promise<ModelsOverview> {
  return cmd.getOverview();
}

/** Saves what the user accepted on a machine short of memory; the plan made with it. */
export function setMemoryFallback(fallback: MemoryFallback): Promise<ModelsOverview> {
  return cmd.setMemoryFallback(fallback);
}

/**
 * Downloads (or resumes) one catalog variant, streaming DownloadEvents to `onEvent`.
 * Rejects with code PAUSED or CANCELLED when stopped by `pauseDownload` / `cancelDownload`.
 */
export async function startDownload(variant: string, onEvent: (ev: DownloadEvent) => void): Promise<DownloadReport> {
  // Resolves after the last event (`done`, events.ts), and nothing of this download reaches
  // `onEvent` once it has settled: a late event must not land on the next step's progress.
  let open = true;
  let done = () => {};
  const doneSeen = new Promise<void>((resolve) => (done = resolve));
  const channel = new Channel<DownloadEvent>();
  channel.onmessage = (ev) => {
    if (!open) return;
    onEvent(ev);
    if (ev.type === "done") done();
  };
  try {
    const report = await cmd.startDownload(variant, channel);
    await eventsDrained(doneSeen, FINISHED_WAIT_MS);
    return report;
  } finally {
    open = false;
  }
}

/** Stops the download and keeps its data; `startDownload` resumes it. */
export function pauseDownload(variant: string): Promise<void> {
  return cmd.pauseDownload(variant);
}

/** Stops the download and deletes its partial data. */
export function cancelDownload(variant: string): Promise<void> {
  return cmd.cancelDownload(variant);
}

export function verifyModel(variant: string): Promise<VerifyReport> {
  return cmd.verifyModel(variant);
}

/** Deletes a downloaded variant's folder; answers with the refreshed overview. */
export function deleteModel(variant: string): Promise<ModelsOverview> {
  return cmd.deleteModel(variant);
}

/** Points the settings at a downloaded variant (its template, its draft if installed). */
export function useModel(variant: string): Promise<Settings> {
  return cmd.useModel(variant);
}

/**
 * How the chosen model can be loaded here (context, GPU layers, draft), what the planner
 * recommends and what the next load uses. Rejects with NO_MODEL_CHOSEN (none chosen) or
 * NOT_FOR_REMOTE (the remote engine is on).
 */
export function loadControls(): Promise<LoadControls> {
  return cmd.loadControls();
}

/** The memory `choice` would take; null for a model picked by hand (no catalog entry). */
export function estimateLoad(choice: LoadChoice): Promise<LoadEstimate | null> {
  return cmd.estimateLoad(choice);
}

/**
 * Saves how the next load goes; `loadModel` then reloads with it. Rejects with
 * INVALID_LOAD_CHOICE (and saves nothing) outside what the model and machine allow.
 */
export function setLoadChoice(choice: LoadChoice): Promise<Settings> {
  return cmd.setLoadChoice(choice);
}

export function setModelsDir(path: string): Promise<Settings> {
  return cmd.setModelsDir(path);
}

/** Rejects with INVALID_ENDPOINT (message for the field) on a bad URL. */
export function setHubSettings(hub: HubSettings): Promise<Settings> {
  return cmd.setHubSettings(hub);
}

/** Whether a Hugging Face token is saved; the token itself never comes back. */
export function tokenStatus(): Promise<SecretStatus> {
  return cmd.tokenStatus();
}

export function setHfToken(token: string): Promise<SecretStatus> {
  return cmd.setHfToken(token);
}

export function clearHfToken(): Promise<SecretStatus> {
  return cmd.clearHfToken();
}

/** Whether the encrypted history is open; asked first thing, before anything reads it. */
export function historyStatus(): Promise<HistoryStatus> {
  return cmd.historyStatus();
}

/**
 * Opens a passphrase-protected history, or (with no lasting keychain) protects the history with
 * this passphrase from now on. Rejects with WRONG_KEY when the passphrase does not open it.
 */
export function unlockHistory(passphrase: string): Promise<HistoryStatus> {
  return cmd.unlockHistory(passphrase);
}

/** A forgotten passphrase: the old history is renamed aside, still encrypted, and a new one starts. */
export function startNewHistory(): Promise<SetAside> {
  return cmd.startNewHistory();
}

/** Continues without saving: consultations in memory until the app closes; the history on disk is untouched. */
export function continueWithoutSaving(): Promise<HistoryStatus> {
  return cmd.continueWithoutSaving();
}

/** Ends the unsaved session (its consultations are gone) and tries the history on disk again. */
export function leaveUnsaved(): Promise<HistoryStatus> {
  return cmd.leaveUnsaved();
}

/** Re-encrypts the history with a passphrase, or (null) with a key kept in the keychain. */
export function setHistoryPassphrase(passphrase: string | null): Promise<HistoryStatus> {
  return cmd.setHistoryPassphrase(passphrase);
}

/** The local OpenAI-compatible API: whether it runs, its port and address. */
export function apiServerStatus(): Promise<ApiServerStatus> {
  return cmd.apiServerStatus();
}

/** Starts (at `port`) or stops the local API. Rejects with BIND_FAILED when the port is taken. */
export function setApiServer(enabled: boolean, port: number): Promise<ApiServerStatus> {
  return cmd.setApiServer(enabled, port);
}

/** The local API's key, for the user to copy into a client. Only on an explicit request. */
export function revealApiKey(): Promise<string> {
  return cmd.revealApiKey();
}

/** A new local API key: clients with the old one are refused from now on. */
export function regenerateApiKey(): Promise<ApiServerStatus> {
  return cmd.regenerateApiKey();
}

/** Saves the remote engine's settings. Rejects with INVALID_ENDPOINT (message for the field). */
export function setRemoteEngine(remote: RemoteSettings): Promise<Settings> {
  return cmd.setRemoteEngine(remote);
}

/** Whether a remote server key is saved; the key itself never comes back. */
export function remoteKeyStatus(): Promise<SecretStatus> {
  return cmd.remoteKeyStatus();
}

export function setRemoteApiKey(key: string): Promise<SecretStatus> {
  return cmd.setRemoteApiKey(key);
}

export function clearRemoteApiKey(): Promise<SecretStatus> {
  return cmd.clearRemoteApiKey();
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
  return chooseFolder(t("settings.chooseModelFolder"));
}

/** Native file picker for a .gguf file. */
export async function chooseGgufFile(): Promise<string | null> {
  try {
    return firstPath(
      await open({
        directory: false,
        multiple: false,
        title: t("settings.chooseGgufFile"),
        filters: [{ name: "GGUF", extensions: ["gguf"] }],
      }),
    );
  } catch (e) {
    throw toErrorPayload(e);
  }
}

/** Native save dialog for a Markdown file; null when cancelled. */
export async function chooseMarkdownSavePath(title: string, defaultName: string): Promise<string | null> {
  try {
    return await save({
      title,
      defaultPath: defaultName,
      filters: [{ name: t("consult.exportFilter"), extensions: ["md"] }],
    });
  } catch (e) {
    throw toErrorPayload(e);
  }
}
