//! Numbers for people. "GB" here is 2^30 bytes, as operating systems show memory.

use crate::budget::{CONTEXT_STEP, GIB};
use crate::info::HardwareInfo;

/// Bytes as "23.1" (GB, one decimal).
pub(crate) fn gb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / GIB as f64)
}

/// Bytes as "24" (GB, whole): for installed sizes, which are round.
pub(crate) fn gb_whole(bytes: u64) -> String {
    format!("{:.0}", bytes as f64 / GIB as f64)
}

/// "an 8k context", "a 32k context".
pub(crate) fn context_phrase(tokens: u32) -> String {
    let n = if tokens.is_multiple_of(CONTEXT_STEP) {
        format!("{}k", tokens / CONTEXT_STEP)
    } else {
        format!("{tokens}-token")
    };
    let article = if n.starts_with('8') || n.starts_with("11k") || n.starts_with("18k") { "an" } else { "a" };
    format!("{article} {n} context")
}

/// The machine in one line, e.g. "16 threads, 31.2 GB RAM (24.0 free), no GPU".
pub fn summary(hw: &HardwareInfo) -> String {
    let gpus = if hw.gpus.is_empty() {
        "no GPU".to_string()
    } else {
        hw.gpus
            .iter()
            .map(|g| {
                if g.unified {
                    format!("{} GPU (unified memory)", g.name)
                } else {
                    format!("{} {} GB ({} free)", g.name, gb_whole(g.vram_total), gb(g.vram_free))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{} threads, {} GB RAM ({} free), {gpus}", hw.cpu.threads, gb(hw.ram_total), gb(hw.ram_available))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_read_naturally() {
        assert_eq!(context_phrase(8192), "an 8k context");
        assert_eq!(context_phrase(11 * 1024), "an 11k context");
        assert_eq!(context_phrase(32768), "a 32k context");
        assert_eq!(context_phrase(4096), "a 4k context");
        assert_eq!(context_phrase(1500), "a 1500-token context");
    }

    #[test]
    fn sizes_are_binary_gigabytes() {
        assert_eq!(gb(GIB * 23 + GIB / 10), "23.1");
        assert_eq!(gb_whole(24 * GIB - 1), "24");
    }
}
