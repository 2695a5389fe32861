include!("command_list.rs");

macro_rules! command_names {
    ($($module:ident :: $function:ident),* $(,)?) => {
        &[$(stringify!($function)),*]
    };
}

// Each becomes an `allow-*` permission.
const COMMANDS: &[&str] = app_commands!(command_names);

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
