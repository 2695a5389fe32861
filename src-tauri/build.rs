/// Every command the UI may call. Each gets its own `allow-*` permission, and the
/// capability in capabilities/default.json grants exactly these.
pub const COMMANDS: &[&str] = &[
    "get_settings",
    "set_model_path",
    "set_thinking",
    "load_model",
    "model_status",
    "send_message",
    "stop_generation",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
