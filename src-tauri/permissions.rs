// Every command the UI may call. build.rs turns each into an `allow-*` permission, the
// capability in capabilities/default.json grants exactly these, and a test in src/main.rs
// keeps this list, the #[tauri::command] functions and the capability in lockstep.
pub const COMMANDS: &[&str] = &[
    "get_settings",
    "set_model_path",
    "set_thinking",
    "load_model",
    "model_status",
    "send_message",
    "stop_generation",
];
