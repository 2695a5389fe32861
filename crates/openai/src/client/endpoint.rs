//! Which servers the remote client may talk to. https is always allowed (certificates verified);
//! plain http only to this computer or a private network, where a clinic's own GPU server sits.

use crate::error::OpenAiError;
use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The API base, ending in `/v1` (or the path the user gave).
    pub url: Url,
    /// Plain http across a network (a private one): the UI should warn that the traffic, the
    /// API key included, is not encrypted. False for https and for loopback.
    pub insecure: bool,
}

impl Endpoint {
    /// `http://10.0.0.5:8000` becomes `http://10.0.0.5:8000/v1`; a URL with a path keeps it.
    pub fn parse(text: &str) -> Result<Self, OpenAiError> {
        let bad = |reason: &str| OpenAiError::InvalidEndpoint { url: text.to_string(), reason: reason.to_string() };
        let mut url = Url::parse(text.trim()).map_err(|e| bad(&e.to_string()))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("credentials in the URL are not allowed; put the API key in its own field"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("a query or fragment is not allowed"));
        }
        let reach = match url.host() {
            Some(Host::Domain(d)) => domain_reach(d),
            Some(Host::Ipv4(ip)) => v4_reach(ip),
            Some(Host::Ipv6(ip)) => v6_reach(ip),
            None => return Err(bad("no host")),
        };
        let insecure = match (url.scheme(), reach) {
            ("https", _) => false,
            ("http", Reach::Loopback) => false,
            ("http", Reach::Private) => true,
            ("http", Reach::Public) => {
                return Err(bad("plain http is allowed only on this computer or a private network (10.x, 172.16–31.x, 192.168.x, fc00::/7, *.local); use https"))
            }
            _ => return Err(bad("must be an http(s) URL")),
        };
        let path = url.path().trim_end_matches('/').to_string();
        url.set_path(if path.is_empty() { "/v1" } else { &path });
        Ok(Self { url, insecure })
    }

    /// Loopback or private-network http, where a system proxy would only get in the way.
    pub(crate) fn is_local_http(&self) -> bool {
        self.url.scheme() == "http"
    }

    pub(crate) fn join(&self, path: &str) -> String {
        format!("{}/{path}", self.url.as_str().trim_end_matches('/'))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Loopback,
    Private,
    Public,
}

fn domain_reach(d: &str) -> Reach {
    let d = d.trim_end_matches('.').to_ascii_lowercase();
    if d == "localhost" || d.ends_with(".localhost") {
        Reach::Loopback
    } else if d.ends_with(".local") {
        Reach::Private // mDNS names exist only on the local network
    } else {
        Reach::Public
    }
}

fn v4_reach(ip: Ipv4Addr) -> Reach {
    if ip.is_loopback() {
        Reach::Loopback
    } else if ip.is_private() {
        Reach::Private
    } else {
        Reach::Public
    }
}

fn v6_reach(ip: Ipv6Addr) -> Reach {
    if ip.is_loopback() {
        Reach::Loopback
    } else if ip.segments()[0] & 0xfe00 == 0xfc00 {
        Reach::Private // unique local addresses, fc00::/7
    } else if let Some(v4) = ip.to_ipv4_mapped() {
        v4_reach(v4)
    } else {
        Reach::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_locally() {
        let ok = |t: &str| Endpoint::parse(t).unwrap();
        assert_eq!(
            (ok("https://api.example.com/v1").url.as_str(), ok("https://api.example.com").insecure),
            ("https://api.example.com/v1", false)
        );
        assert_eq!(ok("http://127.0.0.1:8000").url.as_str(), "http://127.0.0.1:8000/v1");
        assert!(!ok("http://localhost:8000/v1/").insecure);
        assert!(!ok("http://[::1]:30000").insecure);
        for private in [
            "http://10.0.0.5:8000",
            "http://172.16.1.1",
            "http://172.31.255.1",
            "http://192.168.1.20:30000/v1",
            "http://[fd12::1]:8000",
            "http://gpu-box.local:8000",
        ] {
            assert!(ok(private).insecure, "{private}");
        }
        for bad in [
            "http://api.example.com",
            "http://172.32.0.1",
            "http://8.8.8.8",
            "http://[2001:db8::1]",
            "ftp://10.0.0.1",
            "https://u:p@x.com",
            "https://x.com/?k=1",
            "nonsense",
        ] {
            assert_eq!(Endpoint::parse(bad).unwrap_err().code(), "INVALID_ENDPOINT", "{bad}");
        }
        assert_eq!(
            ok("https://proxy.example.com/openai/v1").join("models"),
            "https://proxy.example.com/openai/v1/models"
        );
    }
}
