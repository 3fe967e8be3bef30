//! The server engine fed arbitrary sequences of peer input: raw frames (decoded as the
//! connection task would; undecodable ones are dropped there), sync and request messages
//! with arbitrary payloads for a few documents, handshakes, disconnects and time. The
//! engine must never panic.
//!
//! From `server/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run engine_messages` (scripts/fuzz.sh).

#![no_main]

#[path = "../../tests/it/engine_harness.rs"]
mod harness;

use harness::Harness;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use wish_client_core::proto::decode;
use wish_server::engine::Input;

#[derive(Arbitrary, Debug)]
enum Step {
    Connect(u8),
    Join(u8),
    Frame {
        conn: u8,
        bytes: Vec<u8>,
    },
    Sync {
        conn: u8,
        doc: u8,
        request: bool,
        data: Vec<u8>,
    },
    Disconnect(u8),
    Tick,
}

fuzz_target!(|steps: Vec<Step>| {
    let mut h = Harness::new();
    for step in steps.into_iter().take(64) {
        match step {
            Step::Connect(c) => h.connect(c % 4),
            Step::Join(c) => h.join(c % 4),
            Step::Frame { conn, bytes } => {
                if let Ok(message) = decode(&bytes) {
                    h.message(conn % 4, message);
                }
            }
            Step::Sync {
                conn,
                doc,
                request,
                data,
            } => h.sync(conn % 4, doc % 3, data, request),
            Step::Disconnect(c) => h.disconnect(c % 4),
            Step::Tick => h.tick(),
        }
    }
    h.feed(Input::Shutdown);
});
