/** For component tests: the IPC answered by the mocks, and SettingsPanel's props. */
import { vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ModelStatus } from "../lib/bindings/ModelStatus";
import type { Settings } from "../lib/bindings/Settings";

/**
 * Answers the IPC with these mocks, in turn: each returns its own NOT_… symbol for a command
 * that is not its own, and one no mock answers is rejected with UNKNOWN_COMMAND.
 */
export function serveMocks(...mocks: { handle: (cmd: string, args: any) => unknown }[]) {
  mockIPC((cmd, args) => {
    for (const m of mocks) {
      const r = m.handle(cmd, args);
      if (typeof r !== "symbol") return r;
    }
    throw { code: "UNKNOWN_COMMAND", message: cmd };
  });
}

/** SettingsPanel's props: these settings and model status, and a spy for every callback. */
export function panelProps(settings: Settings, status: ModelStatus = { state: "none" }) {
  return {
    settings,
    status,
    firstRun: false,
    generating: false,
    onApply: vi.fn(),
    onClose: vi.fn(),
    onError: vi.fn(),
    onSetup: vi.fn(),
    onUsed: vi.fn(),
    onSettings: vi.fn(),
    onConnect: vi.fn(async () => {}),
  };
}
