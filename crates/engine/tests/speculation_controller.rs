//! The adaptive-γ controller of patches/mistralrs-core (`speculative/adaptive.rs`), compiled
//! into this test binary so that its unit tests run with the workspace's (tests inside a patched
//! dependency never run): a draft as costly as the target is switched off for good, a cheap
//! agreeing one stays on, a disagreeing one is probed at growing intervals, one slow step does
//! not switch a good draft off, a verify pass's fixed cost is told from its cost per token, the
//! report keeps the last measured costs through a probe, and "never pays" keeps the bound it was
//! judged on.

// The patched file is formatted as upstream formats it, not by this workspace's rustfmt.toml.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../../.patched/mistralrs-core/src/pipeline/speculative/adaptive.rs"]
mod adaptive;
