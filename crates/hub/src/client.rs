//! The HTTP side: a reqwest client with TLS verification always on (rustls + the OS trust store),
//! no https→http downgrade on redirects, and hub status codes mapped to clear errors.

use crate::config::HubConfig;
use crate::error::HubError;
use crate::origin::Origin;
use reqwest::{header, Response, StatusCode, Url};
use std::time::Duration;

#[derive(Clone)]
pub struct HubClient {
    http: reqwest::Client,
    cfg: HubConfig,
}

impl HubClient {
    pub fn new(cfg: HubConfig) -> Result<Self, HubError> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let downgrade =
                attempt.previous().last().is_some_and(|p| p.scheme() == "https") && attempt.url().scheme() != "https";
            if downgrade {
                attempt.error("refusing a redirect from https to plain http")
            } else if attempt.previous().len() >= 10 {
                attempt.error("too many redirects")
            } else {
                attempt.follow()
            }
        });
        // reqwest needs a crypto provider before it builds a client: ring (the workspace builds
        // reqwest without its aws-lc default). One already installed stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("anamnesis/", env!("CARGO_PKG_VERSION")))
            .redirect(policy)
            .connect_timeout(Duration::from_secs(20))
            .https_only(false) // parse_endpoint already allows http only on loopback
            .build()
            .map_err(|e| HubError::Network { url: String::new(), reason: e.to_string() })?;
        Ok(Self { http, cfg })
    }

    pub fn config(&self) -> &HubConfig {
        &self.cfg
    }

    /// GET with the token where allowed; maps statuses to errors (2xx passes).
    /// reqwest drops `Authorization` itself when a redirect leaves the host (e.g. to a CDN).
    pub async fn get(&self, origin: &Origin, url: Url, range: Option<(u64, u64)>) -> Result<Response, HubError> {
        let mut req = self.http.get(url.clone());
        if origin.send_token {
            if let Some(token) = &self.cfg.token {
                req = req.header(header::AUTHORIZATION, token.bearer());
            }
        }
        if let Some((start, end)) = range {
            req = req.header(header::RANGE, format!("bytes={start}-{}", end - 1));
        }
        let resp = tokio::time::timeout(self.cfg.stall_timeout, req.send())
            .await
            .map_err(|_| HubError::Stalled { url: url.to_string(), secs: self.cfg.stall_timeout.as_secs_f64() })?
            .map_err(|e| network(&url, e))?;
        check_status(&url, resp.status())?;
        Ok(resp)
    }
}

pub(crate) fn network(url: &Url, e: reqwest::Error) -> HubError {
    // The innermost cause says the most ("connection refused", "certificate not valid").
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason = s.to_string();
        source = s.source();
    }
    HubError::Network { url: url.to_string(), reason }
}

fn check_status(url: &Url, status: StatusCode) -> Result<(), HubError> {
    let url = url.to_string();
    match status.as_u16() {
        200..=299 => Ok(()),
        401 | 403 => Err(HubError::Unauthorized { url, status: status.as_u16() }),
        404 => Err(HubError::NotFound { url }),
        s => Err(HubError::HttpStatus { url, status: s }),
    }
}
