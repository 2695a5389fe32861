//! The window never leaves the app: a link in model output (or anything else) cannot navigate
//! the webview to another origin, where it would run with the app's IPC bridge in reach.

use tauri::{plugin::TauriPlugin, Runtime, Url};

/// The app's own origins: the bundled UI (custom protocol on Linux/macOS, tauri.localhost on
/// Windows) and, in dev builds only, the Vite server.
pub fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(debug_assertions) && url.host_str() == Some("localhost") && url.port() == Some(1420))
        }
        "about" => url.as_str() == "about:blank",
        _ => false,
    }
}

pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let ok = allowed(url);
            if !ok {
                tracing::warn!("blocked navigation away from the app");
            }
            ok
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_origins_are_allowed() {
        for ok in
            ["tauri://localhost/index.html", "http://tauri.localhost/", "https://tauri.localhost/x", "about:blank"]
        {
            assert!(allowed(&Url::parse(ok).unwrap()), "{ok}");
        }
        for bad in [
            "https://evil.example/",
            "http://tauri.localhost.evil.example/",
            "javascript:alert(1)",
            "data:text/html,<script>1</script>",
            "file:///etc/passwd",
            "http://127.0.0.1:8080/",
            "about:srcdoc",
        ] {
            assert!(!allowed(&Url::parse(bad).unwrap()), "{bad}");
        }
    }
}
