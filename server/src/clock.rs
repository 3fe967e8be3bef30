//! The server's one wall clock. Only the I/O shell reads it (the engine thread, HTTP
//! handlers, the audit log, offline commands); the engine, domain and office index are
//! given times, which keeps them deterministic under test.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch (0 if the system clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
