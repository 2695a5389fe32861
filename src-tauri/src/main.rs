// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

include!("../command_list.rs");

/// The handlers of every command in command_list.rs.
macro_rules! handlers {
    ($($module:ident :: $function:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$function),*]
    };
}

mod api;
mod command_ts;
mod commands;
mod consultations;
mod error;
mod history;
#[cfg(test)]
mod lockstep;
mod models;
mod navigation;
mod relaunch;
mod remote;
mod state;

use anamnesis_settings::SettingsStore;
use tauri::Manager;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn,anamnesis=info".into()),
        )
        .init();
    let ran = tauri::Builder::default()
        // First, so that a second launch exits before it touches settings or the database: it
        // hands over to the running app, which brings its window to the front.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        // Size, position and maximized state are restored on launch and saved on exit, beside
        // settings.json (an absolute file name replaces the plugin's app_config_dir, which is the
        // same folder unless ANAMNESIS_CONFIG_DIR moves it, as the tests do).
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_filename(anamnesis_settings::config_dir().join("window-state.json").to_string_lossy())
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::SIZE
                        | tauri_plugin_window_state::StateFlags::POSITION
                        | tauri_plugin_window_state::StateFlags::MAXIMIZED,
                )
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(navigation::guard())
        // Links from model output open in the system browser, after the user confirms in the UI.
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            // ANAMNESIS_CONFIG_DIR lets tests and portable installs keep settings elsewhere.
            let config_dir = anamnesis_settings::config_dir();
            let settings = SettingsStore::new(config_dir.join("settings.json"));
            if let Ok(loaded) = settings.load() {
                if let Some(aside) = loaded.moved_aside {
                    tracing::warn!("settings file was corrupt; kept it as {}", aside.display());
                }
            }
            app.manage(state::AppState::new(settings));
            // The triage patterns compile on first use (about 0.2 s): do it now, off the main
            // thread, so the first message is triaged at once.
            std::thread::spawn(|| anamnesis_consult::triage("", &anamnesis_consult::PatientContext::default()));
            // The local API comes back on at start only if the user turned it on.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = api::apply(&handle, false).await {
                    tracing::warn!("local API server not started: {e}");
                }
            });
            Ok(())
        })
        .invoke_handler(app_commands!(handlers))
        .run(tauri::generate_context!());
    if let Err(e) = ran {
        relaunch::after_failure(e);
    }
}
