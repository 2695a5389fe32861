//! A launch while the previous instance is still exiting (a quick restart, a restart after a
//! crash) finds the single-instance name on the session bus taken by a process that is going:
//! handing over to it fails ("NoReply: recipient disconnected") and Tauri returns an error.
//! That instance is leaving, so starting again a moment later succeeds; a few tries, then the
//! error in words.

use std::time::Duration;

const TRIES_VAR: &str = "ANAMNESIS_HANDOVER_TRIES";
const MAX_TRIES: u32 = 5;

/// Exits: with a fresh start of this program when the hand-over failed, else with the error.
pub fn after_failure(err: tauri::Error) -> ! {
    let tries: u32 = std::env::var(TRIES_VAR).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let handover = matches!(&err, tauri::Error::PluginInitialization(name, _) if name == "single-instance");
    if handover && tries < MAX_TRIES {
        tracing::warn!("the previous Anamnesis is still exiting ({err}); starting again");
        std::thread::sleep(Duration::from_millis(300 * u64::from(tries + 1)));
        if let Ok(exe) = std::env::current_exe() {
            let mut cmd = std::process::Command::new(exe);
            cmd.args(std::env::args_os().skip(1)).env(TRIES_VAR, (tries + 1).to_string());
            start(cmd);
        }
    }
    eprintln!("Anamnesis could not start: {err}");
    std::process::exit(1);
}

/// Replaces this process (same id, so whoever started it still has it), or runs and waits.
fn start(mut cmd: std::process::Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let e = cmd.exec();
        tracing::warn!("could not start again: {e}");
    }
    #[cfg(not(unix))]
    match cmd.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => tracing::warn!("could not start again: {e}"),
    }
}
