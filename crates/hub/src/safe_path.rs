//! Paths from a hub listing are hostile until proven otherwise: they must stay inside the model
//! folder on every OS, and no existing component may be a symlink that leads elsewhere.

use crate::error::HubError;
use std::path::{Path, PathBuf};

/// Checks a listed path and returns where it lives under `root`.
pub fn resolve(root: &Path, listed: &str) -> Result<PathBuf, HubError> {
    let unsafe_path = |reason: &str| HubError::UnsafePath { path: listed.to_string(), reason: reason.to_string() };
    if listed.is_empty() || listed.len() > 1024 {
        return Err(unsafe_path("empty or too long"));
    }
    if listed.chars().any(|c| c.is_control() || c == '\\' || c == ':') {
        // '\\' and ':' are separators or drive/stream markers on Windows.
        return Err(unsafe_path("contains a control character, a backslash or a colon"));
    }
    if listed.starts_with('/') {
        return Err(unsafe_path("absolute path"));
    }
    let mut out = root.to_path_buf();
    for part in listed.split('/') {
        match part {
            "" => return Err(unsafe_path("empty path component")),
            "." | ".." => return Err(unsafe_path("'.' or '..' component")),
            p if p.ends_with('.') || p.ends_with(' ') => {
                // Windows silently strips these, so "a." would alias "a".
                return Err(unsafe_path("component ends with a dot or a space"));
            }
            p if p.starts_with(".partial") || p == ".verified.json" => {
                return Err(unsafe_path("collides with the downloader's own files"));
            }
            p => {
                out.push(p);
                if let Ok(meta) = std::fs::symlink_metadata(&out) {
                    if meta.file_type().is_symlink() {
                        return Err(unsafe_path("an existing component is a symlink"));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escapes_and_accepts_nested_names() {
        let root = Path::new("/models/x");
        for bad in [
            "../evil",
            "a/../../b",
            "/etc/passwd",
            "C:/Windows/x",
            "C:\\x",
            "a\\..\\b",
            "",
            "a//b",
            "./a",
            "a/.",
            "name.",
            "name ",
            "a\u{0}b",
            ".partial/x.part",
            ".verified.json",
            "x:stream",
        ] {
            assert!(resolve(root, bad).is_err(), "{bad:?} must be rejected");
        }
        assert_eq!(resolve(root, "sub/model.safetensors").unwrap(), root.join("sub").join("model.safetensors"));
        assert_eq!(resolve(root, ".gitattributes").unwrap(), root.join(".gitattributes"));
    }

    #[cfg(unix)]
    #[test]
    fn rejects_a_symlinked_component() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        let err = resolve(dir.path(), "link/file.bin").unwrap_err();
        assert_eq!(err.code(), "UNSAFE_PATH");
    }
}
