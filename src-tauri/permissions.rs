// Every command the UI may call. build.rs turns each into an `allow-*` permission, the
// capability in capabilities/default.json grants exactly these, and a test in src/lockstep.rs
// keeps this list, the #[tauri::command] functions and the capability in lockstep.
pub const COMMANDS: &[&str] = &[
    "get_settings",
    "set_model_path",
    "set_thinking",
    "load_model",
    "model_status",
    "send_message",
    "stop_generation",
    "get_overview",
    "start_download",
    "pause_download",
    "cancel_download",
    "verify_model",
    "delete_model",
    "use_model",
    "set_models_dir",
    "set_hub_settings",
    "token_status",
    "set_hf_token",
    "clear_hf_token",
];
