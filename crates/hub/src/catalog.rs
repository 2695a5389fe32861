//! The model catalog: one TOML file per variant in `models/`. The app embeds the shipped files, so
//! a catalog is always there; `Catalog::from_dir` reads another folder (tests, power users).

use crate::error::HubError;
use anamnesis_hardware::{Candidate, Requirements};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum HubKind {
    Huggingface,
    Modelscope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum VariantRole {
    Main,
    Draft,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Source {
    pub hub: HubKind,
    pub repo: String,
    pub revision: String,
    /// Globs over the repo's paths; empty means every file.
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Variant {
    pub id: String,
    pub label: String,
    pub role: VariantRole,
    /// "gptq", "gguf" or "safetensors".
    pub format: String,
    /// Chat template, relative to `models/`.
    #[serde(default)]
    pub template: Option<String>,
    /// The catalog id of the draft model that pairs with this one.
    #[serde(default)]
    pub draft: Option<String>,
    #[ts(type = "number")]
    pub expected_bytes: u64,
    pub sources: Vec<Source>,
    pub requirements: Requirements,
}

impl Variant {
    pub fn candidate(&self) -> Candidate {
        Candidate { id: self.id.clone(), label: self.label.clone(), requirements: self.requirements.clone() }
    }

    fn check(&self, file: &str) -> Result<(), HubError> {
        let bad = |reason: String| Err(HubError::InvalidCatalog { file: file.to_string(), reason });
        if self.id.is_empty() || !self.id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return bad(format!("id \"{}\" must be ASCII letters, digits, '-', '_' or '.'", self.id));
        }
        if self.sources.is_empty() {
            return bad("no [[sources]]".into());
        }
        for s in &self.sources {
            if s.repo.split('/').count() != 2 || s.repo.split('/').any(|p| p.is_empty() || p == "..") {
                return bad(format!("repo \"{}\" is not owner/name", s.repo));
            }
            for g in s.include.iter().chain(&s.exclude) {
                globset::Glob::new(g)
                    .map_err(|e| HubError::InvalidCatalog { file: file.into(), reason: e.to_string() })?;
            }
        }
        Ok(())
    }
}

/// The variants, in the order the planner prefers them.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub variants: Vec<Variant>,
}

const SHIPPED: &[(&str, &str)] = &[
    ("baichuan-m2-32b-gptq-int4.toml", include_str!("../../../models/baichuan-m2-32b-gptq-int4.toml")),
    ("baichuan-m2-32b-q4_k_m-gguf.toml", include_str!("../../../models/baichuan-m2-32b-q4_k_m-gguf.toml")),
    ("qwen3-0.6b.toml", include_str!("../../../models/qwen3-0.6b.toml")),
];

/// Chat templates the catalog names, shipped inside the binary like the catalog.
const TEMPLATES: &[(&str, &str)] =
    &[("templates/baichuan-m2.jinja", include_str!("../../../models/templates/baichuan-m2.jinja"))];

impl Catalog {
    /// The text of a template named in a catalog entry (`templates/…`).
    pub fn template_text(name: &str) -> Option<&'static str> {
        TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The shipped catalog, or the folder `ANAMNESIS_CATALOG_DIR` names (a private catalog, or
    /// the end-to-end test's tiny model). A broken folder is reported once and the shipped one used.
    pub fn load() -> Self {
        match std::env::var_os("ANAMNESIS_CATALOG_DIR") {
            Some(dir) => Self::from_dir(Path::new(&dir)).unwrap_or_else(|e| {
                eprintln!("warning: ignoring ANAMNESIS_CATALOG_DIR: {e}");
                Self::shipped()
            }),
            None => Self::shipped(),
        }
    }

    /// The catalog shipped inside the binary (a test checks it parses).
    pub fn shipped() -> Self {
        Self::parse_all(SHIPPED.iter().map(|(f, t)| (f.to_string(), t.to_string())))
            .expect("the shipped catalog is checked by tests")
    }

    /// Every `*.toml` in `dir`, sorted by file name within the shipped preference order.
    pub fn from_dir(dir: &Path) -> Result<Self, HubError> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| HubError::io(dir, e))? {
            let path = entry.map_err(|e| HubError::io(dir, e))?.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).map_err(|e| HubError::io(&path, e))?;
                files.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), text));
            }
        }
        let rank = |f: &str| SHIPPED.iter().position(|(s, _)| *s == f).unwrap_or(usize::MAX);
        files.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
        Self::parse_all(files)
    }

    fn parse_all(files: impl IntoIterator<Item = (String, String)>) -> Result<Self, HubError> {
        let mut variants: Vec<Variant> = Vec::new();
        for (file, text) in files {
            let v: Variant = toml::from_str(&text)
                .map_err(|e| HubError::InvalidCatalog { file: file.clone(), reason: e.to_string() })?;
            v.check(&file)?;
            if variants.iter().any(|o| o.id == v.id) {
                return Err(HubError::InvalidCatalog { file, reason: format!("duplicate id {}", v.id) });
            }
            variants.push(v);
        }
        Ok(Self { variants })
    }

    pub fn get(&self, id: &str) -> Result<&Variant, HubError> {
        self.variants.iter().find(|v| v.id == id).ok_or_else(|| HubError::UnknownVariant(id.to_string()))
    }

    pub fn main_variants(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(|v| v.role == VariantRole::Main)
    }

    /// A plain repository download (`owner/name`), for models not in the catalog.
    pub fn ad_hoc(repo: &str, revision: &str) -> Result<Variant, HubError> {
        let v = Variant {
            id: repo.replace('/', "--"),
            label: repo.to_string(),
            role: VariantRole::Main,
            format: "unknown".into(),
            template: None,
            draft: None,
            expected_bytes: 0,
            sources: vec![Source {
                hub: HubKind::Huggingface,
                repo: repo.to_string(),
                revision: revision.to_string(),
                include: vec![],
                exclude: vec![],
            }],
            requirements: Requirements {
                backends: vec![],
                min_compute_capability: None,
                weights_bytes: 0,
                kv_bytes_per_token: 0,
                layers: 0,
                min_context: 0,
                max_context: 0,
            },
        };
        v.check(repo).map_err(|_| HubError::UnknownVariant(repo.to_string()))?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalog_parses_and_matches_models_dir() {
        let shipped = Catalog::shipped();
        let ids: Vec<_> = shipped.variants.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["baichuan-m2-32b-gptq-int4", "baichuan-m2-32b-q4_k_m-gguf", "qwen3-0.6b"]);
        let on_disk = Catalog::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")).unwrap();
        assert_eq!(on_disk.variants.len(), shipped.variants.len(), "every models/*.toml is embedded in SHIPPED");
        let gptq = shipped.get("baichuan-m2-32b-gptq-int4").unwrap();
        assert_eq!(gptq.sources[0].exclude, ["draft/**"], "the EAGLE3 draft folder is never fetched");
        assert_eq!(gptq.draft.as_deref(), Some("qwen3-0.6b"));
        assert!(shipped.get("nope").is_err());
        for v in &shipped.variants {
            if let Some(t) = &v.template {
                assert!(Catalog::template_text(t).is_some(), "{t} is shipped");
            }
        }
    }

    #[test]
    fn a_broken_catalog_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.toml"), "id = \"x\"\nlabel = 3").unwrap();
        let e = Catalog::from_dir(dir.path()).unwrap_err();
        assert_eq!(e.code(), "INVALID_CATALOG");
        assert!(e.to_string().contains("x.toml"), "{e}");
        let bad_repo = include_str!("../../../models/qwen3-0.6b.toml").replace("Qwen/Qwen3-0.6B", "../etc");
        std::fs::write(dir.path().join("x.toml"), bad_repo).unwrap();
        assert_eq!(Catalog::from_dir(dir.path()).unwrap_err().code(), "INVALID_CATALOG");
    }
}
