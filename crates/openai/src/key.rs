//! An API key. Its Debug never shows the value, it has no Display and no Serialize, so it cannot
//! leak through logs, errors or JSON by accident.

/// No `PartialEq`: keys are compared only in constant time (the server's auth check).
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// A fresh random key (`sk-anamnesis-` + 32 hex digits) for the local server.
    #[cfg(feature = "server")]
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(format!("sk-anamnesis-{hex}"))
    }

    /// The value, for the one place that needs it (a header, or showing it to its owner).
    pub fn reveal(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_is_redacted() {
        assert_eq!(format!("{:?}", super::ApiKey::new("sk-secret")), "ApiKey(<redacted>)");
    }
}
