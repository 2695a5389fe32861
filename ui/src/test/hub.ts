/**
 * A mock of the backend's model commands (overview, downloads, models folder, hub settings,
 * token) for component and App tests. It behaves like the backend where the UI depends on it:
 * pause and cancel make the running download reject with PAUSED / CANCELLED.
 */
import type { Channel } from "@tauri-apps/api/core";
import type { DownloadEvent } from "../lib/bindings/DownloadEvent";
import type { DownloadReport } from "../lib/bindings/DownloadReport";
import type { ErrorPayload } from "../lib/bindings/ErrorPayload";
import type { HubSettings } from "../lib/bindings/HubSettings";
import type { LoadChoice } from "../lib/bindings/LoadChoice";
import type { LoadControls } from "../lib/bindings/LoadControls";
import type { MemoryFallback } from "../lib/bindings/MemoryFallback";
import type { ModelsOverview } from "../lib/bindings/ModelsOverview";
import type { Plan } from "../lib/bindings/Plan";
import type { SecretStatus } from "../lib/bindings/SecretStatus";
import type { Settings } from "../lib/bindings/Settings";
import type { VerifyReport } from "../lib/bindings/VerifyReport";
import { ggufControls, gptqControls, loadEstimate, rtx4090Overview, settingsFixture } from "./fixtures";

export interface RunningDownload {
  variant: string;
  channel: Channel<DownloadEvent>;
  settled: boolean;
  /** Delivers an event the way the Tauri runtime does (in order, by index). */
  emit: (ev: DownloadEvent) => void;
  finish: (report?: Partial<DownloadReport>) => void;
  fail: (e: ErrorPayload) => void;
}

export interface HubMock {
  /** Every command with its arguments, in order. */
  calls: [string, any][];
  downloads: RunningDownload[];
  overview: ModelsOverview;
  settings: Settings;
  token: SecretStatus;
  /** What load_controls answers for the chosen model (use_model and set_load_choice change it). */
  controls: LoadControls;
  /** The latest start_download. */
  latest: () => RunningDownload;
  /** Answers a model command, or returns NOT_HUB for the caller to handle. */
  handle: (cmd: string, args: any) => unknown;
}

export const NOT_HUB = Symbol("not a hub command");

export interface HubOptions {
  overview?: ModelsOverview;
  settings?: Settings;
  verify?: (variant: string) => VerifyReport;
  /** The plan for each memory fallback (set_memory_fallback); the overview's plan when absent. */
  planFor?: (fb: MemoryFallback) => Plan;
  /** Rejects set_hub_settings with INVALID_ENDPOINT when this returns a message. */
  invalidEndpoint?: (hub: HubSettings) => string | null;
  /** The chosen model's load controls (default: the GGUF's on the RTX 4090). */
  controls?: LoadControls;
  /** Rejects set_load_choice with this, whatever the choice. */
  rejectChoice?: { code: string; message: string };
}

/** The backend's check of a load choice (set_load_choice): its message, or null when it is allowed. */
function invalidChoice(c: LoadChoice, lc: LoadControls): string | null {
  if (c.context < lc.context_min || c.context > lc.context_max) return `context ${c.context} is outside ${lc.context_min}..${lc.context_max}`;
  if (c.gpu_layers !== null && (lc.layers === null || c.gpu_layers > lc.layers)) return `gpu_layers ${c.gpu_layers} is more than the model has`;
  if (c.draft && !lc.draft_available) return "no draft model is downloaded for this model";
  return null;
}

export function hubMock(opts: HubOptions = {}): HubMock {
  const m: HubMock = {
    calls: [],
    downloads: [],
    overview: structuredClone(opts.overview ?? rtx4090Overview),
    settings: opts.settings ?? settingsFixture(),
    token: { saved: false, keychain: "secret-service", problem: null },
    controls: structuredClone(opts.controls ?? ggufControls()),
    latest() {
      const d = m.downloads[m.downloads.length - 1];
      if (!d) throw new Error("no download started");
      return d;
    },
    handle(cmd, args) {
      m.calls.push([cmd, args]);
      switch (cmd) {
        case "get_overview":
          return structuredClone(m.overview);
        case "get_settings":
          return m.settings;
        case "set_memory_fallback":
          m.settings = { ...m.settings, memory_fallback: args.fallback };
          m.overview = { ...m.overview, fallback: args.fallback, plan: opts.planFor?.(args.fallback) ?? m.overview.plan };
          return structuredClone(m.overview);
        case "start_download":
          return new Promise<DownloadReport>((resolve, reject) => {
            let index = 0;
            let doneSent = false;
            const d: RunningDownload = {
              variant: args.variant,
              channel: args.onEvent,
              settled: false,
              emit(ev) {
                if (ev.type === "done") doneSent = true;
                (window as any).__TAURI_INTERNALS__.runCallback(d.channel.id, { index: index++, message: ev });
              },
              finish(report) {
                // Like the backend: `done` is the last event of a download that succeeded.
                if (!doneSent) d.emit({ type: "done", dir: `${m.overview.models_dir}/${d.variant}`, bytes: 0, secs: 1 });
                d.settled = true;
                resolve({ variant: d.variant, dir: `${m.overview.models_dir}/${d.variant}`, source: "https://huggingface.co", files: 1, fetched: 0, total: 0, secs: 1, ...report });
              },
              fail(e) {
                d.settled = true;
                reject(e);
              },
            };
            m.downloads.push(d);
          });
        case "pause_download":
        case "cancel_download": {
          const d = m.downloads.find((x) => x.variant === args.variant && !x.settled);
          if (d) {
            const code = cmd === "pause_download" ? "PAUSED" : "CANCELLED";
            // The backend answers the stop first, then the download's rejection follows.
            queueMicrotask(() => d.fail({ code, message: code === "PAUSED" ? "Download paused" : "Download cancelled" }));
          }
          return null;
        }
        case "verify_model":
          return (
            opts.verify?.(args.variant) ?? {
              dir: `${m.overview.models_dir}/${args.variant}`,
              ok: true,
              files: [{ path: "model.safetensors", size: 1_000_000_000, ok: true, problem: null }],
              bytes: 1_000_000_000,
              secs: 2,
            }
          );
        case "delete_model":
          m.overview = { ...m.overview, installed: m.overview.installed.filter((i) => i.id !== args.variant) };
          // The backend forgets a deleted model that was in use.
          if (m.settings.variant === args.variant) m.settings = { ...m.settings, model_path: null, variant: null };
          return structuredClone(m.overview);
        case "use_model": {
          m.settings = { ...m.settings, model_path: `${m.overview.models_dir}/${args.variant}`, variant: args.variant };
          // A new model starts from the planner's choices.
          const next = args.variant === gptqControls().variant ? gptqControls() : ggufControls();
          m.controls = { ...next, variant: args.variant, name: m.overview.catalog.find((v) => v.id === args.variant)?.label ?? args.variant };
          return m.settings;
        }
        case "load_controls":
          if (m.settings.remote.enabled) throw { code: "NOT_FOR_REMOTE", message: "the remote engine is on" };
          if (!m.settings.model_path) throw { code: "NO_MODEL_CHOSEN", message: "no model chosen" };
          return structuredClone(m.controls);
        case "estimate_load":
          return m.controls.variant === null ? null : loadEstimate(args.choice, m.overview.catalog.find((v) => v.id === m.controls.variant));
        case "set_load_choice": {
          if (opts.rejectChoice) throw opts.rejectChoice;
          const bad = invalidChoice(args.choice, m.controls);
          if (bad) throw { code: "INVALID_LOAD_CHOICE", message: bad };
          const estimate = m.controls.variant === null ? null : loadEstimate(args.choice, m.overview.catalog.find((v) => v.id === m.controls.variant));
          m.controls = { ...m.controls, current: args.choice, estimate };
          m.settings = { ...m.settings, max_context: args.choice.context, gpu_layers: args.choice.gpu_layers };
          return m.settings;
        }
        case "set_models_dir":
          m.settings = { ...m.settings, models_dir: args.path };
          m.overview = { ...m.overview, models_dir: args.path, installed: [] };
          return m.settings;
        case "set_hub_settings": {
          const bad = opts.invalidEndpoint?.(args.hub);
          if (bad) throw { code: "INVALID_ENDPOINT", message: bad };
          m.settings = { ...m.settings, hub: args.hub };
          return m.settings;
        }
        case "token_status":
          return m.token;
        case "set_hf_token":
          m.token = { ...m.token, saved: true };
          return m.token;
        case "clear_hf_token":
          m.token = { ...m.token, saved: false };
          return m.token;
      }
      m.calls.pop();
      return NOT_HUB;
    },
  };
  return m;
}

/** The command names in call order. */
export function commands(m: HubMock): string[] {
  return m.calls.map(([c]) => c);
}
