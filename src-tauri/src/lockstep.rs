//! Commands, permissions and the capability stay in lockstep with command_list.rs: each command
//! has exactly its `allow-*` permission, the capability grants nothing else of ours, and no
//! #[tauri::command] function is left out of the list (the handlers, permissions and the UI's
//! wrappers are all made from it).

#[cfg(test)]
mod tests {
    macro_rules! command_names {
        ($($module:ident :: $function:ident),* $(,)?) => {
            &[$(stringify!($function)),*]
        };
    }
    const COMMANDS: &[&str] = app_commands!(command_names);
    use std::collections::BTreeSet;

    /// Names of the functions marked #[tauri::command] in the command modules.
    fn command_fns() -> BTreeSet<String> {
        let src = [
            include_str!("commands.rs"),
            include_str!("models.rs"),
            include_str!("consultations.rs"),
            include_str!("history.rs"),
            include_str!("api.rs"),
            include_str!("remote.rs"),
        ]
        .concat();
        let mut names = BTreeSet::new();
        let mut marked = false;
        for line in src.lines().map(str::trim) {
            if line == "#[tauri::command]" {
                marked = true;
            } else if marked && line.starts_with("pub") {
                let after = line.split("fn ").nth(1).expect("fn after #[tauri::command]");
                names.insert(after.split(['(', '<']).next().unwrap().to_string());
                marked = false;
            }
        }
        names
    }

    #[test]
    fn every_command_is_listed_and_every_listed_command_exists() {
        let listed: BTreeSet<String> = COMMANDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(command_fns(), listed);
    }

    #[test]
    fn the_capability_grants_exactly_the_commands_plus_the_open_and_save_dialogs() {
        let cap: serde_json::Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        // A permission is a name, or an object with a scope (`{"identifier", "allow"}`).
        let granted: BTreeSet<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().or_else(|| p["identifier"].as_str()).unwrap().to_string())
            .collect();
        let mut want: BTreeSet<String> = COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
        want.insert("core:default".into());
        want.insert("dialog:allow-open".into());
        want.insert("dialog:allow-save".into());
        want.insert("opener:allow-open-url".into());
        assert_eq!(granted, want);
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
    }

    #[test]
    fn links_may_open_only_as_web_urls() {
        let cap: serde_json::Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let opener =
            cap["permissions"].as_array().unwrap().iter().find(|p| p["identifier"] == "opener:allow-open-url").unwrap();
        let urls: Vec<&str> = opener["allow"].as_array().unwrap().iter().map(|a| a["url"].as_str().unwrap()).collect();
        assert_eq!(urls, ["https://*", "http://*"], "no file:, no custom schemes, no paths");
    }

    #[test]
    fn the_csp_allows_no_remote_origin_and_no_eval() {
        let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let csp = conf["app"]["security"]["csp"].as_str().unwrap();
        assert!(!csp.contains("unsafe-eval"), "{csp}");
        assert!(!csp.contains("https:") && !csp.contains("http://*") && !csp.contains('*'), "{csp}");
        assert!(csp.contains("script-src 'self'"), "{csp}");
    }
}
