//! One place a repository can be fetched from (an endpoint + repo + revision), and the URLs of
//! the two hub APIs we speak: Hugging Face and ModelScope.

use crate::catalog::{HubKind, Source};
use crate::config::HubConfig;
use reqwest::Url;

#[derive(Debug, Clone)]
pub struct Origin {
    pub kind: HubKind,
    pub base: Url,
    pub repo: String,
    pub revision: String,
    /// Only the primary Hugging Face endpoint gets the token.
    pub send_token: bool,
}

impl Origin {
    pub fn describe(&self) -> String {
        format!("{}/{}@{}", self.base.as_str().trim_end_matches('/'), self.repo, self.revision)
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        {
            let mut path = url.path_segments_mut().expect("http(s) URLs have paths");
            path.pop_if_empty();
            for s in segments {
                path.extend(s.split('/'));
            }
        }
        url
    }

    pub fn listing_url(&self) -> Url {
        match self.kind {
            HubKind::Huggingface => {
                let mut u = self.url(&["api/models", &self.repo, "tree", &self.revision]);
                u.query_pairs_mut().append_pair("recursive", "true");
                u
            }
            HubKind::Modelscope => {
                let mut u = self.url(&["api/v1/models", &self.repo, "repo/files"]);
                u.query_pairs_mut().append_pair("Revision", &self.revision).append_pair("Recursive", "true");
                u
            }
        }
    }

    pub fn file_url(&self, path: &str) -> Url {
        match self.kind {
            HubKind::Huggingface => self.url(&[&self.repo, "resolve", &self.revision, path]),
            HubKind::Modelscope => self.url(&["models", &self.repo, "resolve", &self.revision, path]),
        }
    }

    /// A redirect or a `Link` URL may only stay on this origin's host (a hostile listing must not
    /// make us page through another server).
    pub fn same_host(&self, url: &Url) -> bool {
        url.host_str() == self.base.host_str() && url.port_or_known_default() == self.base.port_or_known_default()
    }
}

/// The origins of one catalog source in the order to try them.
pub fn origins(source: &Source, cfg: &HubConfig) -> Vec<Origin> {
    let make = |base: &Url, send_token| Origin {
        kind: source.hub,
        base: base.clone(),
        repo: source.repo.clone(),
        revision: source.revision.clone(),
        send_token,
    };
    match source.hub {
        HubKind::Huggingface => {
            std::iter::once(make(&cfg.endpoint, true)).chain(cfg.mirrors.iter().map(|m| make(m, false))).collect()
        }
        HubKind::Modelscope => cfg.modelscope.iter().map(|m| make(m, false)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_real_hub_urls() {
        let o = Origin {
            kind: HubKind::Huggingface,
            base: Url::parse("https://huggingface.co").unwrap(),
            repo: "Qwen/Qwen3-0.6B".into(),
            revision: "main".into(),
            send_token: true,
        };
        assert_eq!(
            o.listing_url().as_str(),
            "https://huggingface.co/api/models/Qwen/Qwen3-0.6B/tree/main?recursive=true"
        );
        assert_eq!(
            o.file_url("a b/c.json").as_str(),
            "https://huggingface.co/Qwen/Qwen3-0.6B/resolve/main/a%20b/c.json"
        );
        let ms = Origin {
            kind: HubKind::Modelscope,
            base: Url::parse("https://modelscope.cn").unwrap(),
            revision: "master".into(),
            ..o
        };
        assert_eq!(
            ms.listing_url().as_str(),
            "https://modelscope.cn/api/v1/models/Qwen/Qwen3-0.6B/repo/files?Revision=master&Recursive=true"
        );
        assert_eq!(
            ms.file_url("x.json").as_str(),
            "https://modelscope.cn/models/Qwen/Qwen3-0.6B/resolve/master/x.json"
        );
    }
}
