//! Reads a repository's file list (path, size, hash) from the hub, following pagination, and
//! refuses anything malformed: unknown hash formats, duplicate paths, absurd sizes.

use crate::catalog::{HubKind, Source};
use crate::client::{network, HubClient};
use crate::error::HubError;
use crate::origin::Origin;
use globset::{Glob, GlobSet, GlobSetBuilder};
use reqwest::{header, Url};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

const MAX_PAGES: usize = 1000;
const MAX_FILES: usize = 100_000;
const MAX_FILE_BYTES: u64 = 1 << 40;

/// How a file's content is pinned: LFS files by sha256, small git files by their git blob sha1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    Sha256(String),
    GitSha1(String),
}

impl Digest {
    pub fn hex(&self) -> &str {
        match self {
            Self::Sha256(h) | Self::GitSha1(h) => h,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteFile {
    pub path: String,
    pub size: u64,
    pub digest: Digest,
}

#[derive(Deserialize)]
struct HfEntry {
    #[serde(rename = "type")]
    kind: String,
    path: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    oid: Option<String>,
    #[serde(default)]
    lfs: Option<HfLfs>,
}

#[derive(Deserialize)]
struct HfLfs {
    oid: String,
    size: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MsListing {
    data: MsData,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MsData {
    files: Vec<MsEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MsEntry {
    path: String,
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    sha256: Option<String>,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn invalid(reason: String) -> HubError {
    HubError::InvalidListing(reason)
}

/// Lists `origin`, keeping the files the source's globs select.
pub async fn list(client: &HubClient, origin: &Origin, source: &Source) -> Result<Vec<RemoteFile>, HubError> {
    let raw = match origin.kind {
        HubKind::Huggingface => list_hf(client, origin).await?,
        HubKind::Modelscope => list_ms(client, origin).await?,
    };
    let include = globs(&source.include)?;
    let exclude = globs(&source.exclude)?;
    let mut seen = HashSet::new();
    let mut files = Vec::new();
    for f in raw {
        if !seen.insert(f.path.to_lowercase()) {
            // Case-insensitive file systems would merge these two.
            return Err(invalid(format!("{} is listed twice", f.path)));
        }
        let keep = (source.include.is_empty() || include.is_match(&f.path)) && !exclude.is_match(&f.path);
        if keep {
            files.push(f);
        }
    }
    if files.is_empty() {
        return Err(invalid(format!("{} has no files matching {:?}", origin.describe(), source.include)));
    }
    // Small files first: the config shows up at once, and the big ones stream after.
    files.sort_by(|a, b| (a.size, &a.path).cmp(&(b.size, &b.path)));
    Ok(files)
}

fn globs(patterns: &[String]) -> Result<GlobSet, HubError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // `*.json` matches at any depth only via `**/`; keep hub-style "name glob" semantics.
        let glob = |g: &str| Glob::new(g).map_err(|e| invalid(e.to_string()));
        b.add(glob(p)?);
    }
    b.build().map_err(|e| invalid(e.to_string()))
}

async fn get_json<T: for<'de> Deserialize<'de>>(
    client: &HubClient,
    origin: &Origin,
    url: Url,
) -> Result<(T, Option<Url>), HubError> {
    let resp = client.get(origin, url.clone(), None).await?;
    let next = next_link(resp.headers().get(header::LINK).and_then(|v| v.to_str().ok()), &url);
    let body = resp.bytes().await.map_err(|e| network(&url, e))?;
    let parsed = serde_json::from_slice(&body).map_err(|e| invalid(format!("{url}: {e}")))?;
    Ok((parsed, next))
}

async fn list_hf(client: &HubClient, origin: &Origin) -> Result<Vec<RemoteFile>, HubError> {
    let mut url = Some(origin.listing_url());
    let mut out = Vec::new();
    let mut pages = 0;
    while let Some(u) = url.take() {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(invalid("more than 1000 pages".into()));
        }
        let (entries, next): (Vec<HfEntry>, _) = get_json(client, origin, u).await?;
        for e in entries.into_iter().filter(|e| e.kind == "file") {
            let (size, digest) = match (e.lfs, e.oid) {
                (Some(lfs), _) if is_hex(&lfs.oid, 64) => (lfs.size, Digest::Sha256(lfs.oid.to_lowercase())),
                (None, Some(oid)) if is_hex(&oid, 40) => (e.size, Digest::GitSha1(oid.to_lowercase())),
                _ => return Err(invalid(format!("{} has no usable hash", e.path))),
            };
            out.push(checked(e.path, size, digest)?);
        }
        if out.len() > MAX_FILES {
            return Err(invalid("too many files".into()));
        }
        if let Some(n) = next {
            if !origin.same_host(&n) {
                return Err(invalid(format!("pagination leads off the hub to {n}")));
            }
            url = Some(n);
        }
    }
    Ok(out)
}

async fn list_ms(client: &HubClient, origin: &Origin) -> Result<Vec<RemoteFile>, HubError> {
    let (listing, _): (MsListing, _) = get_json(client, origin, origin.listing_url()).await?;
    if listing.data.files.len() > MAX_FILES {
        return Err(invalid("too many files".into()));
    }
    let mut out = Vec::new();
    for e in listing.data.files.into_iter().filter(|e| e.kind == "blob") {
        match e.sha256 {
            Some(h) if is_hex(&h, 64) => out.push(checked(e.path, e.size, Digest::Sha256(h.to_lowercase()))?),
            _ => return Err(invalid(format!("{} has no sha256", e.path))),
        }
    }
    Ok(out)
}

fn checked(path: String, size: u64, digest: Digest) -> Result<RemoteFile, HubError> {
    if size > MAX_FILE_BYTES {
        return Err(invalid(format!("{path} claims {size} bytes")));
    }
    Ok(RemoteFile { path, size, digest })
}

/// `Link: <https://…?cursor=…>; rel="next"`, resolved against the page's URL.
fn next_link(link: Option<&str>, base: &Url) -> Option<Url> {
    link?.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| p.trim().trim_start_matches("rel=").trim_matches('"') == "next");
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| base.join(target).ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_next_link() {
        let base = Url::parse("https://huggingface.co/api/models/a/b/tree/main?recursive=true").unwrap();
        let link = r#"<https://huggingface.co/api/models/a/b/tree/main?recursive=true&cursor=XYZ>; rel="next""#;
        assert_eq!(
            next_link(Some(link), &base).unwrap().as_str(),
            "https://huggingface.co/api/models/a/b/tree/main?recursive=true&cursor=XYZ"
        );
        assert!(next_link(Some(r#"<https://x/y>; rel="prev""#), &base).is_none());
        assert!(next_link(None, &base).is_none());
    }
}
