//! Ways past "not enough memory" that the user chooses on the set-up screen, kept in the settings
//! and given to the planner. Both are off until chosen: each costs something the user must accept.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MemoryFallback {
    /// Plan with a context as short as 2k tokens (the catalog's minimum is 4k): long
    /// consultations and long thinking are cut off sooner.
    pub short_context: bool,
    /// Count the RAM other programs use now (all but 1 GB): the computer may slow down, and the
    /// system may close programs (this one too) when memory runs out.
    pub anyway: bool,
}
