/**
 * One-click model download: what to fetch for a chosen variant, the pure reducer that folds
 * streamed DownloadEvents into what the progress view shows, and the words around it.
 */
import type { DownloadEvent } from "./bindings/DownloadEvent";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ModelsOverview } from "./bindings/ModelsOverview";
import type { Variant } from "./bindings/Variant";
import { formatBytes } from "./format";
import { t } from "./i18n.svelte";

/** Where "Download and set up" is once started. */
export type DownloadPhase = "downloading" | "pausing" | "paused" | "cancelling" | "failed" | "installing";

export type FileState = "pending" | "downloading" | "verifying" | "done";

export interface FileProgress {
  path: string;
  size: number;
  bytes: number;
  state: FileState;
  /** Done before this run began (already verified on disk). */
  skipped: boolean;
}

export interface DownloadProgress {
  variant: string;
  /** Where the bytes come from now, e.g. "huggingface.co"; null until planned. */
  source: string | null;
  files: FileProgress[];
  bytes: number;
  total: number;
  /** Bytes per second over the whole download. */
  speed: number;
  eta: number | null;
  /** A quiet line about retries and failovers; never an error. */
  note: string | null;
  /** The file whose progress clears `note` (a retry); null: any progress does (a failover). */
  noteFile: string | null;
  done: boolean;
}

export function emptyProgress(variant: string): DownloadProgress {
  return { variant, source: null, files: [], bytes: 0, total: 0, speed: 0, eta: null, note: null, noteFile: null, done: false };
}

/** "https://hf-mirror.com/org/repo@main" → "hf-mirror.com"; anything else as given. */
export function sourceHost(source: string): string {
  try {
    return new URL(source).host || source;
  } catch {
    return source;
  }
}

function updateFile(p: DownloadProgress, path: string, f: (file: FileProgress) => FileProgress): FileProgress[] {
  const i = p.files.findIndex((x) => x.path === path);
  // A file the listing did not name (should not happen): track it anyway.
  if (i < 0) return [...p.files, f({ path, size: 0, bytes: 0, state: "pending", skipped: false })];
  const files = p.files.slice();
  files[i] = f(files[i]);
  return files;
}

/** Fold one event into the progress. Pure: returns a new object when anything changed. */
export function applyDownloadEvent(p: DownloadProgress, ev: DownloadEvent): DownloadProgress {
  switch (ev.type) {
    case "planned":
      return {
        ...emptyProgress(ev.variant),
        source: sourceHost(ev.source),
        files: ev.files.map((f) => ({
          path: f.path,
          size: f.size,
          bytes: f.verified ? f.size : Math.min(f.present, f.size),
          state: f.verified ? "done" : "pending",
          skipped: f.verified,
        })),
        bytes: ev.present,
        total: ev.total,
        // A failover replans from the next source: keep saying so until bytes flow.
        note: p.noteFile === null ? p.note : null,
      };
    case "progress": {
      const files = updateFile(p, ev.file, (f) => ({
        ...f,
        bytes: ev.bytes,
        size: ev.total || f.size,
        state: f.state === "done" || f.state === "verifying" ? f.state : "downloading",
      }));
      const clears = p.note !== null && (p.noteFile === null || p.noteFile === ev.file);
      return { ...p, files, ...(clears ? { note: null, noteFile: null } : {}) };
    }
    case "total":
      return { ...p, bytes: ev.bytes, total: ev.total, speed: ev.speed, eta: ev.eta_secs };
    case "verifying":
      return { ...p, files: updateFile(p, ev.file, (f) => ({ ...f, bytes: f.size, state: "verifying" })) };
    case "file_done": {
      const files = updateFile(p, ev.file, (f) => ({ ...f, bytes: f.size, state: "done", skipped: ev.skipped }));
      const clears = p.noteFile === ev.file;
      return { ...p, files, ...(clears ? { note: null, noteFile: null } : {}) };
    }
    case "retrying": {
      const secs = Math.max(1, Math.round(ev.wait_ms / 1000));
      return { ...p, note: t("download.retrying", secs), noteFile: ev.file };
    }
    case "source_failed": {
      const from = sourceHost(ev.source);
      const note = ev.next ? t("download.sourceFailedNext", from, sourceHost(ev.next)) : t("download.sourceFailed", from);
      return { ...p, note, noteFile: null, source: ev.next ? sourceHost(ev.next) : p.source };
    }
    case "done":
      return {
        ...p,
        files: p.files.map((f) => ({ ...f, bytes: f.size, state: "done" })),
        bytes: ev.bytes || p.total,
        total: p.total || ev.bytes,
        eta: 0,
        note: null,
        noteFile: null,
        done: true,
      };
  }
}

/**
 * What "Download and set up" fetches, in order: the chosen main variant, then its draft when
 * `withDraft` and the catalog has it. Unknown ids give nothing.
 */
export function downloadSteps(overview: ModelsOverview, variantId: string, withDraft: boolean): Variant[] {
  const main = overview.catalog.find((v) => v.id === variantId);
  if (!main) return [];
  const draft = withDraft && main.draft ? overview.catalog.find((v) => v.id === main.draft) : undefined;
  return draft ? [main, draft] : [main];
}

/** Catalog sizes are approximate; the hub's listing has the exact ones. */
export function expectedBytes(steps: readonly Variant[]): number {
  return steps.reduce((s, v) => s + v.expected_bytes, 0);
}

/** Free space is tight: under 1.05× what the download needs. Unknown free space is not. */
export function spaceIsTight(needed: number, free: number | null): boolean {
  return free !== null && free < needed * 1.05;
}

/** The rejections that are states, not errors. */
export function isStopCode(code: string): code is "PAUSED" | "CANCELLED" {
  return code === "PAUSED" || code === "CANCELLED";
}

/** What the user can do about a failed download, when there is something to say. */
export function failureHint(e: ErrorPayload): string | null {
  switch (e.code) {
    case "DISK_FULL":
    case "INSUFFICIENT_SPACE":
      return t("download.hintSpace");
    case "UNAUTHORIZED":
      return t("download.hintUnauthorized");
    case "NETWORK_ERROR":
    case "STALLED":
      return t("download.hintNetwork");
    case "BUSY":
      return t("download.hintBusy");
    case "CHECKSUM_MISMATCH":
    case "SIZE_MISMATCH":
      return t("download.hintChecksum");
    default:
      return null;
  }
}

/** "about 19.5 GB". */
export function aboutSize(bytes: number): string {
  return t("download.about", formatBytes(bytes));
}
