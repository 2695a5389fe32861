import { describe, expect, it } from "vitest";
import { closedHistory, initialPhase, isStarted, transition, type Phase, type PhaseEvent } from "./phase";

const open = { state: "open", mode: "keychain" } as const;
const locked = { state: "locked" } as const;
const keychainLocked = { state: "keychain_locked", detail: "SS error", history_exists: false } as const;

function run(events: PhaseEvent[], from: Phase = initialPhase): Phase {
  return events.reduce(transition, from);
}

describe("the app's phases", () => {
  it("a first start with no model goes to the set-up screen, and a loaded model ends the first run", () => {
    const p = run([{ type: "history", status: open }, { type: "booted", needsSetup: true }]);
    expect(p).toEqual({ kind: "onboarding", firstRun: true });
    expect(run([{ type: "closeSetup" }, { type: "modelLoaded" }], p)).toEqual({ kind: "ready", firstRun: false });
  });

  it("a start with a model goes straight to the conversation", () => {
    expect(run([{ type: "history", status: open }, { type: "booted", needsSetup: false }])).toEqual({
      kind: "ready",
      firstRun: false,
    });
  });

  it("a backend that cannot say how the history is does not keep the app at the start", () => {
    expect(run([{ type: "history", status: null }])).toEqual({ kind: "booting" });
  });

  it("a closed history at start shows the lock screen, and opening it boots the app", () => {
    const p = run([{ type: "history", status: keychainLocked }]);
    expect(closedHistory(p)).toEqual(keychainLocked);
    expect(isStarted(p)).toBe(false);
    expect(run([{ type: "history", status: open }], p)).toEqual({ kind: "booting" });
  });

  it("a lock in the middle of a session returns where the user was, set-up included", () => {
    const setup: Phase = { kind: "onboarding", firstRun: true };
    const p = run([{ type: "history", status: locked }], setup);
    expect(p).toEqual({ kind: "locked", status: locked, resume: setup });
    // A second report while locked (a wrong passphrase, a new reason) keeps where to go back.
    const again = run([{ type: "history", status: keychainLocked }], p);
    expect(again).toEqual({ kind: "locked", status: keychainLocked, resume: setup });
    expect(run([{ type: "history", status: open }], again)).toEqual(setup);
  });

  it("a lock while booting starts again from scratch once open", () => {
    const p = run([{ type: "history", status: open }, { type: "history", status: locked }]);
    expect(p).toEqual({ kind: "locked", status: locked, resume: null });
    expect(run([{ type: "history", status: open }], p)).toEqual({ kind: "booting" });
  });

  it("set-up opens and closes only past the lock, and keeps whether this is the first run", () => {
    const ready: Phase = { kind: "ready", firstRun: true };
    expect(run([{ type: "openSetup" }], ready)).toEqual({ kind: "onboarding", firstRun: true });
    expect(run([{ type: "openSetup" }], initialPhase)).toEqual(initialPhase);
    const lockedPhase = run([{ type: "history", status: locked }]);
    expect(run([{ type: "openSetup" }, { type: "closeSetup" }, { type: "modelLoaded" }], lockedPhase)).toEqual(lockedPhase);
  });

  it("events out of place change nothing", () => {
    const ready: Phase = { kind: "ready", firstRun: false };
    expect(run([{ type: "booted", needsSetup: true }], ready)).toEqual(ready);
    expect(run([{ type: "history", status: open }], ready)).toEqual(ready);
    expect(run([{ type: "closeSetup" }], ready)).toEqual(ready);
  });
});
