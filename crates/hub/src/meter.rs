//! Speed over a sliding window, so one slow second neither freezes nor wildly swings the ETA.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct Meter {
    samples: VecDeque<(Instant, u64)>,
}

impl Meter {
    pub fn sample(&mut self, now: Instant, bytes: u64) {
        self.samples.push_back((now, bytes));
        while self.samples.len() > 2 && now.duration_since(self.samples[0].0) > WINDOW {
            self.samples.pop_front();
        }
    }

    /// Bytes per second over the window; 0 until two samples exist.
    pub fn speed(&self) -> f64 {
        match (self.samples.front(), self.samples.back()) {
            (Some(&(t0, b0)), Some(&(t1, b1))) if t1 > t0 => b1.saturating_sub(b0) as f64 / (t1 - t0).as_secs_f64(),
            _ => 0.0,
        }
    }

    pub fn eta_secs(&self, remaining: u64) -> Option<f64> {
        let speed = self.speed();
        (speed > 0.0).then(|| remaining as f64 / speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_and_eta_follow_the_window() {
        let mut m = Meter::default();
        let t = Instant::now();
        assert_eq!(m.eta_secs(10), None);
        m.sample(t, 0);
        m.sample(t + Duration::from_secs(1), 100);
        assert!((m.speed() - 100.0).abs() < 1e-9);
        assert_eq!(m.eta_secs(500), Some(5.0));
        m.sample(t + Duration::from_secs(10), 200);
        m.sample(t + Duration::from_secs(11), 400);
        assert!((m.speed() - 200.0).abs() < 1e-9, "old samples leave the window");
    }
}
