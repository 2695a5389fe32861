//! Where to download from and how hard to try. Built from settings (or CLI flags); `HF_ENDPOINT`
//! sets the default primary endpoint, as in the Hugging Face tools.

use crate::error::HubError;
use reqwest::Url;
use std::time::Duration;

pub const HUGGINGFACE: &str = "https://huggingface.co";
pub const MODELSCOPE: &str = "https://modelscope.cn";

/// The Hugging Face token. Its Debug never shows the value, so it cannot leak through logs.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub(crate) fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct HubConfig {
    /// The primary Hugging Face endpoint; the token goes to this host only.
    pub endpoint: Url,
    /// Tried in order when the primary fails (e.g. https://hf-mirror.com). Never sent the token.
    pub mirrors: Vec<Url>,
    /// The second source after every Hugging Face endpoint; `None` turns it off.
    pub modelscope: Option<Url>,
    pub token: Option<Token>,
    /// Parallel Range requests per file.
    pub connections: usize,
    pub part_size: u64,
    /// No bytes for this long counts as a stall.
    pub stall_timeout: Duration,
    /// Tries per part on one origin before moving to the next.
    pub retries: u32,
    pub backoff_base: Duration,
    /// Check free space (remaining × 1.05) before writing anything.
    pub space_check: bool,
}

impl HubConfig {
    /// Defaults, with `HF_ENDPOINT` honoured.
    pub fn from_env() -> Self {
        let endpoint = std::env::var("HF_ENDPOINT")
            .ok()
            .and_then(|e| parse_endpoint(&e).ok())
            .unwrap_or_else(|| Url::parse(HUGGINGFACE).expect("constant URL"));
        Self {
            endpoint,
            mirrors: Vec::new(),
            modelscope: Some(Url::parse(MODELSCOPE).expect("constant URL")),
            token: None,
            connections: 8,
            part_size: 64 << 20,
            stall_timeout: Duration::from_secs(30),
            retries: 8,
            backoff_base: Duration::from_millis(500),
            space_check: true,
        }
    }
}

impl HubConfig {
    /// Defaults with the user's endpoints: `endpoint` (else `HF_ENDPOINT` / huggingface.co),
    /// `mirrors` in order, and ModelScope last unless turned off.
    pub fn with_endpoints(endpoint: Option<&str>, mirrors: &[String], modelscope: bool) -> Result<Self, HubError> {
        let mut cfg = Self::from_env();
        if let Some(e) = endpoint.filter(|e| !e.trim().is_empty()) {
            cfg.endpoint = parse_endpoint(e)?;
        }
        cfg.mirrors =
            mirrors.iter().filter(|m| !m.trim().is_empty()).map(|m| parse_endpoint(m)).collect::<Result<_, _>>()?;
        if !modelscope {
            cfg.modelscope = None;
        }
        Ok(cfg)
    }
}

/// An endpoint must be https; plain http is allowed only on loopback (local proxies, tests),
/// so TLS can never be bypassed by a setting.
pub fn parse_endpoint(text: &str) -> Result<Url, HubError> {
    let bad = |reason: &str| HubError::InvalidEndpoint { url: text.to_string(), reason: reason.to_string() };
    let url = Url::parse(text.trim().trim_end_matches('/')).map_err(|e| bad(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials in the URL are not allowed"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a query or fragment is not allowed"));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(bad("no host")),
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(bad("must use https (plain http only on this computer)")),
        _ => Err(bad("must be an https URL")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_https_except_loopback() {
        assert!(parse_endpoint("https://hf-mirror.com/").is_ok());
        assert!(parse_endpoint("http://127.0.0.1:8080").is_ok());
        assert!(parse_endpoint("http://localhost:1").is_ok());
        for bad in
            ["http://hf-mirror.com", "ftp://x", "https://u:p@x.com", "not a url", "https://x.com/?a=1", "file:///etc"]
        {
            assert_eq!(parse_endpoint(bad).unwrap_err().code(), "INVALID_ENDPOINT", "{bad}");
        }
        assert_eq!(format!("{:?}", Token::new("hf_secret")), "Token(<redacted>)");
    }
}
