// The one list of the commands the UI may call, as `module::function`. Everything else is made
// from it: build.rs turns each into an `allow-*` permission, main.rs registers the handlers,
// a test writes the UI's typed wrappers (ui/src/lib/bindings/commands.ts), and the tests in
// src/lockstep.rs check the #[tauri::command] functions and the capability against it.
macro_rules! app_commands {
    ($then:ident) => {
        $then! {
            commands::get_settings,
            commands::set_model_path,
            commands::set_thinking,
            commands::load_model,
            commands::model_status,
            commands::stop_generation,
            commands::set_language,
            commands::set_country,
            commands::set_hide_previews,
            commands::set_technical_details,
            models::get_overview,
            models::set_memory_fallback,
            models::start_download,
            models::pause_download,
            models::cancel_download,
            models::verify_model,
            models::delete_model,
            models::use_model,
            models::load_controls,
            models::estimate_load,
            models::set_load_choice,
            models::set_models_dir,
            models::set_hub_settings,
            models::token_status,
            models::set_hf_token,
            models::clear_hf_token,
            consultations::list_consultations,
            consultations::new_consultation,
            consultations::open_consultation,
            consultations::update_consultation,
            consultations::delete_consultation,
            consultations::search_history,
            consultations::consult_send,
            consultations::read_attachment,
            consultations::consult_edit,
            consultations::consult_regenerate,
            consultations::export_consultation,
            history::history_status,
            history::unlock_history,
            history::start_new_history,
            history::continue_without_saving,
            history::leave_unsaved,
            history::set_history_passphrase,
            api::api_server_status,
            api::set_api_server,
            api::reveal_api_key,
            api::regenerate_api_key,
            remote::set_remote_engine,
            remote::remote_key_status,
            remote::set_remote_api_key,
            remote::clear_remote_api_key,
        }
    };
}

// `(module, function)` of every command.
macro_rules! command_paths {
    ($($module:ident :: $function:ident),* $(,)?) => {
        &[$((stringify!($module), stringify!($function))),*]
    };
}

#[allow(dead_code)]
const COMMAND_PATHS: &[(&str, &str)] = app_commands!(command_paths);
