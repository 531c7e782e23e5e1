//! Time on the server: the attendance clock tests may move, and plain Unix time for everything
//! else. Its own module so that anything may ask the time without depending on `AppState`.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

/// The server's clock for attendance. Real time, plus an offset that only a server started with
/// `clock_control` (end-to-end tests) may move forward, so a browser test can let minutes pass on
/// both sides of a heartbeat without waiting for them.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
    adjustable: bool,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn adjustable() -> Self {
        Self {
            adjustable: true,
            ..Self::default()
        }
    }

    pub fn is_adjustable(&self) -> bool {
        self.adjustable
    }

    pub fn now_ms(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        real + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves the clock forward (never back); refused on a system clock.
    pub fn advance(&self, ms: i64) -> bool {
        if !self.adjustable || ms < 0 {
            return false;
        }
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        true
    }
}

/// Real time in Unix milliseconds (rate limits; attendance uses `Clock`, which tests may move).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
