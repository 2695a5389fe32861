/**
 * Where the app is, as one value: the window shows exactly one of these, and each screen change is
 * a named event. Overlays (Settings, the narrow history drawer) and the model's status are not
 * phases: they exist inside the onboarding and ready phases.
 */
import type { HistoryStatus } from "./bindings/HistoryStatus";

/** The history in any state the app cannot work in: what the lock screen explains. */
export type ClosedHistory = Exclude<HistoryStatus, { state: "open" } | { state: "unsaved" }>;

/** Open on disk, or in memory only (the user chose to continue without saving). */
export function isUsable(s: HistoryStatus): s is Extract<HistoryStatus, { state: "open" } | { state: "unsaved" }> {
  return s.state === "open" || s.state === "unsaved";
}

/** The phases past the lock, which a lock in the middle of a session returns to. */
export type Running =
  /** The set-up screen (hardware, recommendation, download) in place of the chat. */
  | { kind: "onboarding"; firstRun: boolean }
  | { kind: "ready"; firstRun: boolean };

export type Phase =
  /** Waiting for the backend's settings and history status. */
  | { kind: "starting" }
  /** The lock screen in place of everything but the disclaimer. `resume`: where to go back once
   *  it opens; null when the app never got past the lock (it then starts from scratch). */
  | { kind: "locked"; status: ClosedHistory; resume: Running | null }
  /** Past the lock: reading the model's status and the history list. */
  | { kind: "booting" }
  | Running;

export type PhaseEvent =
  /** The backend said how the history is (null: it could not say; the app goes on without it). */
  | { type: "history"; status: HistoryStatus | null }
  /** Past the lock and the history read: set-up when no model was ever chosen. */
  | { type: "booted"; needsSetup: boolean }
  | { type: "openSetup" }
  | { type: "closeSetup" }
  /** A model answered: the first run is over. */
  | { type: "modelLoaded" };

export const initialPhase: Phase = { kind: "starting" };

function running(p: Phase): Running | null {
  return p.kind === "onboarding" || p.kind === "ready" ? p : null;
}

function firstRunOf(p: Phase): boolean {
  return running(p)?.firstRun ?? false;
}

/** The next phase; an event that means nothing in a phase leaves it as it is. */
export function transition(p: Phase, e: PhaseEvent): Phase {
  switch (e.type) {
    case "history": {
      if (e.status && !isUsable(e.status)) {
        // Locked again (or still): remember where the user was, unless that is already known.
        const resume = p.kind === "locked" ? p.resume : running(p);
        return { kind: "locked", status: e.status, resume };
      }
      if (p.kind === "starting") return { kind: "booting" };
      if (p.kind === "locked") return p.resume ?? { kind: "booting" };
      return p;
    }
    case "booted":
      if (p.kind !== "booting") return p;
      return e.needsSetup ? { kind: "onboarding", firstRun: true } : { kind: "ready", firstRun: false };
    case "openSetup":
      return running(p) ? { kind: "onboarding", firstRun: firstRunOf(p) } : p;
    case "closeSetup":
      return p.kind === "onboarding" ? { kind: "ready", firstRun: p.firstRun } : p;
    case "modelLoaded": {
      const r = running(p);
      return r ? { ...r, firstRun: false } : p;
    }
  }
}

/** The lock screen's status, when it shows. */
export function closedHistory(p: Phase): ClosedHistory | null {
  return p.kind === "locked" ? p.status : null;
}

/** Whether the model and history are in reach (the composer can say why not otherwise). */
export function isStarted(p: Phase): boolean {
  return running(p) !== null;
}
