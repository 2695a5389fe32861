//! Test helpers: a replay server for recorded-style streams, and a deterministic backend.
#![allow(dead_code)]

pub mod backend;
pub mod replay;
