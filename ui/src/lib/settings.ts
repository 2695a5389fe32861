import type { Settings } from "./bindings/Settings";

/**
 * The settings the backend starts from (`Settings::default()` in crates/settings): no model
 * chosen yet, automatic thinking, English, Hugging Face with ModelScope as the fallback.
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
    ...over,
  };
}
