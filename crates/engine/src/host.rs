//! Holds the one loaded model for an app or server: load state, the running answer, Stop.
//! The desktop shell's commands are thin adapters over this.

use crate::chat::{ChatRequest, ChatStream, Stopper};
use crate::error::{EngineError, ErrorPayload, Result};
use crate::events::ChatEvent;
use crate::load::{LoadOptions, ModelInfo};
use crate::Engine;
use serde::{Deserialize, Serialize};
// Poisoned locks are recovered (as everywhere in the app): each guards plain data that every
// update writes in one assignment, so a panic elsewhere cannot leave it half-changed.
use std::sync::{Arc, Mutex, PoisonError, Weak};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ModelStatus {
    None,
    Loading { path: String },
    Ready { info: ModelInfo },
    Failed { error: ErrorPayload },
}

#[derive(Default)]
pub struct ModelHost {
    engine: Mutex<Option<Arc<Engine>>>,
    status: Mutex<Option<ModelStatus>>,
    /// The answer streaming now: its Stop, and a handle that dies with its stream.
    running: Mutex<Option<(Stopper, Weak<()>)>>,
}

impl ModelHost {
    pub fn status(&self) -> ModelStatus {
        self.status.lock().unwrap_or_else(PoisonError::into_inner).clone().unwrap_or(ModelStatus::None)
    }

    /// The loaded model's info, when one is ready.
    pub fn status_info(&self) -> Option<ModelInfo> {
        match self.status() {
            ModelStatus::Ready { info } => Some(info),
            _ => None,
        }
    }

    fn set_status(&self, s: ModelStatus) {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner) = Some(s);
    }

    /// Loads a model, replacing the current one only once the new one is ready.
    pub async fn load(&self, opts: LoadOptions) -> Result<ModelInfo> {
        let previous = self.status();
        self.set_status(ModelStatus::Loading { path: opts.path.display().to_string() });
        match Engine::load(opts).await {
            Ok(engine) => {
                let info = engine.info().clone();
                *self.engine.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(engine));
                self.set_status(ModelStatus::Ready { info: info.clone() });
                Ok(info)
            }
            Err(e) => {
                // A failed load keeps a working model usable; otherwise report the failure.
                let next = match previous {
                    ModelStatus::Ready { .. }
                        if self.engine.lock().unwrap_or_else(PoisonError::into_inner).is_some() =>
                    {
                        previous
                    }
                    _ => ModelStatus::Failed { error: e.payload() },
                };
                self.set_status(next);
                Err(e)
            }
        }
    }

    pub fn engine(&self) -> Result<Arc<Engine>> {
        self.engine.lock().unwrap_or_else(PoisonError::into_inner).clone().ok_or(EngineError::NotLoaded)
    }

    /// Streams one answer into `sink`. A new answer stops the one still running (the person
    /// at the window comes before an API client).
    pub async fn chat(&self, req: ChatRequest, mut sink: impl FnMut(ChatEvent) -> bool) -> Result<()> {
        let engine = self.engine()?;
        let mut stream = engine.chat(req).await?;
        let entry = (stream.stopper(), Arc::downgrade(&stream.alive));
        if let Some((old, _)) = self.running.lock().unwrap_or_else(PoisonError::into_inner).replace(entry) {
            old.stop();
        }
        while let Some(mut ev) = stream.next().await {
            if let ChatEvent::Stats(stats) = &mut ev {
                engine.info().stamp(stats);
            }
            if !sink(ev) {
                stream.stopper().stop();
            }
        }
        Ok(())
    }

    /// Starts an answer only if none is running (API requests never cut off another answer).
    pub async fn chat_if_idle(&self, req: ChatRequest) -> Result<ChatStream> {
        let engine = self.engine()?;
        if self.is_answering() {
            return Err(EngineError::Busy);
        }
        let stream = engine.chat(req).await?;
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if running.as_ref().is_some_and(|(_, alive)| alive.strong_count() > 0) {
            return Err(EngineError::Busy); // the window started one meanwhile; dropping ours stops it
        }
        *running = Some((stream.stopper(), Arc::downgrade(&stream.alive)));
        Ok(stream)
    }

    pub fn is_answering(&self) -> bool {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|(_, alive)| alive.strong_count() > 0)
    }

    /// Stops the running answer, if any. The stream still ends with `Stats` and `Done`.
    pub fn stop(&self) {
        if let Some((s, _)) = self.running.lock().unwrap_or_else(PoisonError::into_inner).take() {
            s.stop();
        }
    }
}
