//! Pause and cancel. Both stop every request at once; pause keeps the partial data, cancel deletes it.

use crate::error::HubError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

#[derive(Clone, Default)]
pub struct DownloadControl {
    token: CancellationToken,
    cancelled: Arc<AtomicBool>,
}

impl DownloadControl {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn pause(&self) {
        self.token.cancel();
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.token.cancel();
    }

    pub fn is_stopped(&self) -> bool {
        self.token.is_cancelled()
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    pub(crate) fn token(&self) -> &CancellationToken {
        &self.token
    }

    pub(crate) fn stop_error(&self) -> HubError {
        if self.is_cancelled() {
            HubError::Cancelled
        } else {
            HubError::Paused
        }
    }
}
