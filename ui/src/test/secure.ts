/**
 * A mock of the backend's privacy and connection commands for component and App tests: the
 * encrypted history's lock (history_status, unlock_history, set_history_passphrase), the local
 * OpenAI-compatible API and the remote engine with its key. Stateful like the backend: a wrong
 * passphrase is refused with WRONG_KEY, a taken port with BIND_FAILED (the server stays off),
 * a public http address with INVALID_ENDPOINT, and saved keys are never returned.
 */
import type { ApiServerStatus } from "../lib/bindings/ApiServerStatus";
import type { HistoryStatus } from "../lib/bindings/HistoryStatus";
import type { ModelInfo } from "../lib/bindings/ModelInfo";
import type { ModelNotice } from "../lib/bindings/ModelNotice";
import type { RemoteSettings } from "../lib/bindings/RemoteSettings";
import type { SecretStatus } from "../lib/bindings/SecretStatus";
import type { Settings } from "../lib/bindings/Settings";

export const NOT_SECURE = Symbol("not a privacy or connection command");

export interface SecureMock {
  /** Every command with its arguments, in order (passphrases and keys included, for asserts). */
  calls: [string, any][];
  history: HistoryStatus;
  /** The lock an unsaved session went around, back when it ends. */
  closedBefore: HistoryStatus | null;
  /** The passphrase that opens a locked history. */
  passphrase: string | null;
  /** set_history_passphrase(null) fails with NO_KEYCHAIN when this is set (its message). */
  noKeychain: string | null;
  api: ApiServerStatus;
  /** Ports another program holds: set_api_server(true, one of these) fails with BIND_FAILED. */
  busyPorts: number[];
  apiKey: string;
  remoteKey: SecretStatus;
  /** The settings the backend keeps (shared with the other mocks). */
  settings: () => Settings;
  setSettings: (s: Settings) => void;
  handle: (cmd: string, args: any) => unknown;
}

let keys = 0;
function newKey(): string {
  keys += 1;
  return `anm-${String(keys).padStart(4, "0")}-7f3c9a1e5b2d4c6f8a0e1b3d5f7a9c2e`;
}

/** https anywhere; http only on loopback and private networks (as the Rust side checks). */
export function endpointProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${url || "(empty)"} is not a URL`;
  }
  if (u.protocol === "https:") return null;
  if (u.protocol !== "http:") return `${url} is not an http(s) URL`;
  const h = u.hostname.replace(/^\[|\]$/g, "");
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  const privateV4 =
    !!m && (m[1] === "127" || m[1] === "10" || (m[1] === "192" && m[2] === "168") || (m[1] === "172" && +m[2] >= 16 && +m[2] <= 31));
  if (h === "localhost" || h === "::1" || privateV4) return null;
  return `${url}: plain http is allowed only on this computer or a private network; use https`;
}

/** What load_model answers when the remote engine is enabled. */
export function remoteInfo(remote: RemoteSettings): ModelInfo {
  const url = new URL(remote.base_url);
  const notices: ModelNotice[] = [{ kind: "estimated_tokens" }];
  if (url.protocol === "http:") notices.push({ kind: "insecure_remote", host: url.hostname });
  return {
    path: remote.base_url,
    name: remote.model || "baichuan-inc/Baichuan-M2-32B",
    format: "remote",
    architecture: "remote",
    device: `remote:${url.hostname}`,
    on_cpu: false,
    context_length: 32768,
    load_s: 0.4,
    draft: null,
    notices,
    isq: null,
    layers: null,
  };
}

export function secureMock(opts: {
  settings: () => Settings;
  setSettings: (s: Settings) => void;
  history?: HistoryStatus;
  passphrase?: string | null;
}): SecureMock {
  const m: SecureMock = {
    calls: [],
    history: opts.history ?? { state: "open", mode: "keychain" },
    closedBefore: null,
    passphrase: opts.passphrase ?? null,
    noKeychain: null,
    api: { enabled: false, port: 8089, base_url: null },
    busyPorts: [],
    apiKey: newKey(),
    remoteKey: { saved: false, keychain: "secret-service", problem: null },
    settings: opts.settings,
    setSettings: opts.setSettings,
    handle(cmd, args) {
      m.calls.push([cmd, args]);
      const update = (patch: Partial<Settings>) => m.setSettings({ ...m.settings(), ...patch });
      switch (cmd) {
        case "history_status":
          return structuredClone(m.history);
        case "unlock_history": {
          if (!args.passphrase) throw { code: "INVALID_KEY", message: "the passphrase is empty" };
          if (m.history.state === "locked" && args.passphrase !== m.passphrase) {
            throw { code: "WRONG_KEY", message: "the key does not open the history" };
          }
          if (m.history.state === "keychain_locked" && m.history.history_exists) {
            throw { code: "WRONG_KEY", message: "the key does not open the history" };
          }
          // no_keychain, or a locked one before any history: the user opts in; the history is
          // encrypted with this passphrase.
          if (m.history.state === "no_keychain" || m.history.state === "keychain_locked") m.passphrase = args.passphrase;
          m.history = { state: "open", mode: "passphrase" };
          update({ history_key: "passphrase" });
          return structuredClone(m.history);
        }
        case "start_new_history": {
          // The backend's rule: only a history that cannot be opened; a keychain makes the new one.
          if (m.history.state === "open") throw { code: "BUSY", message: "the consultation history is open" };
          m.passphrase = null;
          m.history = m.noKeychain ? { state: "no_keychain", reason: m.noKeychain } : { state: "open", mode: "keychain" };
          update({ history_key: "keychain" });
          return { file: "/data/anamnesis-set-aside-20261203T0500.db", status: structuredClone(m.history) };
        }
        case "continue_without_saving": {
          if (m.history.state === "open") throw { code: "BUSY", message: "the consultation history is open" };
          if (m.history.state !== "unsaved") m.closedBefore = m.history;
          m.history = { state: "unsaved" };
          return structuredClone(m.history);
        }
        case "leave_unsaved": {
          if (m.history.state === "unsaved") m.history = m.closedBefore ?? { state: "locked" };
          return structuredClone(m.history);
        }
        case "set_history_passphrase": {
          if (m.history.state === "unsaved") throw { code: "HISTORY_UNSAVED", message: "this session is not being saved" };
          if (m.history.state !== "open") throw { code: "HISTORY_LOCKED", message: "the consultation history is locked: enter its passphrase" };
          if (args.passphrase === null) {
            if (m.noKeychain) throw { code: "NO_KEYCHAIN", message: m.noKeychain };
            m.passphrase = null;
            m.history = { state: "open", mode: "keychain" };
            update({ history_key: "keychain" });
          } else {
            m.passphrase = args.passphrase;
            m.history = { state: "open", mode: "passphrase" };
            update({ history_key: "passphrase" });
          }
          return structuredClone(m.history);
        }
        case "api_server_status":
          return { ...m.api };
        case "set_api_server": {
          const previous = m.api;
          if (args.enabled && m.busyPorts.includes(args.port)) {
            m.api = { enabled: false, port: previous.port, base_url: null };
            update({ api_server: { enabled: false, port: previous.port } });
            throw { code: "BIND_FAILED", message: `could not listen on 127.0.0.1:${args.port}: address already in use` };
          }
          m.api = { enabled: args.enabled, port: args.port, base_url: args.enabled ? `http://127.0.0.1:${args.port}/v1` : null };
          update({ api_server: { enabled: args.enabled, port: args.port } });
          return { ...m.api };
        }
        case "reveal_api_key":
          return m.apiKey;
        case "regenerate_api_key":
          m.apiKey = newKey();
          return { ...m.api };
        case "set_remote_engine": {
          const remote: RemoteSettings = { ...args.remote, base_url: args.remote.base_url.trim(), model: args.remote.model.trim() };
          const bad = remote.enabled || remote.base_url ? endpointProblem(remote.base_url) : null;
          if (bad) throw { code: "INVALID_ENDPOINT", message: bad };
          update({ remote });
          return m.settings();
        }
        case "remote_key_status":
          return { ...m.remoteKey };
        case "set_remote_api_key":
          m.remoteKey = { ...m.remoteKey, saved: true };
          return { ...m.remoteKey };
        case "clear_remote_api_key":
          m.remoteKey = { ...m.remoteKey, saved: false };
          return { ...m.remoteKey };
      }
      m.calls.pop();
      return NOT_SECURE;
    },
  };
  return m;
}
