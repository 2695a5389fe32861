import type { Settings } from "./bindings/Settings";

/** A section of Settings to open at: the remote engine, or the downloaded models. */
export type SettingsSection = "remote" | "models";

/**
 * The settings the backend starts from (`Settings::default()` in crates/settings): no model
 * chosen yet, automatic thinking, English, Hugging Face with ModelScope as the fallback, the
 * history's key in the keychain, the local API off, no remote engine.
 */
export function defaultSettings(over: Partial<Settings> = {}): Settings {
  return {
    model_path: null,
    thinking: "auto",
    language: "en",
    variant: null,
    draft_path: null,
    max_context: null,
    gpu_layers: null,
    models_dir: null,
    hub: { endpoint: null, mirrors: [], modelscope: true },
    history_key: "keychain",
    api_server: { enabled: false, port: 8089 },
    remote: { enabled: false, base_url: "", model: "" },
    draft_measurements: [],
    country: null,
    hide_previews: false,
    memory_fallback: { short_context: false, anyway: false },
    technical_details: false,
    ...over,
  };
}
