//! Timestamps: UTC RFC 3339 with milliseconds ("2026-05-01T12:34:56.789Z"), so that text order
//! is time order in SQL and the UI can parse them with `new Date(…)`.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The last millisecond handed out, so each call gets a later one than the call before.
static LAST_MILLIS: AtomicI64 = AtomicI64::new(0);

/// The current time as the store writes it. Within a process each call returns a later time
/// than the last (by a millisecond if the clock has not moved), so ordering by `updated_at`
/// follows the order of writes even when they fall in one millisecond.
pub fn timestamp_now() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as i64;
    let prev = LAST_MILLIS.fetch_max(now, Ordering::Relaxed);
    let millis = if now > prev { now } else { LAST_MILLIS.fetch_add(1, Ordering::Relaxed) + 1 };
    format_timestamp(millis.div_euclid(1000), millis.rem_euclid(1000) as u32)
}

pub(crate) fn format_timestamp(unix_secs: i64, millis: u32) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Accepts what `timestamp_now` writes (and other RFC 3339 UTC forms of the same shape).
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && b.len() <= 35
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && s.ends_with('Z')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_sqlite_strftime() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        // Epoch, a leap day, a century non-leap boundary, far future, and now.
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        for secs in [0, 951_782_400, 4_107_542_399, 253_402_300_799, now] {
            let sqlite: String =
                conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%S', ?1, 'unixepoch')", [secs], |r| r.get(0)).unwrap();
            assert_eq!(format_timestamp(secs, 7), format!("{sqlite}.007Z"), "at {secs}");
        }
    }

    #[test]
    fn now_always_moves_forward() {
        let stamps: Vec<String> = (0..1000).map(|_| timestamp_now()).collect();
        assert!(stamps.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn now_is_a_timestamp() {
        let now = timestamp_now();
        assert!(is_timestamp(&now), "{now}");
        assert!(!is_timestamp("yesterday"));
        assert!(!is_timestamp("2026-05-01 12:00:00"));
    }
}
