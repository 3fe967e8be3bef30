//! Fuzzes the wire codec: `decode` must never panic on any frame, and whatever it accepts
//! must survive `encode` then `decode` unchanged.
//!
//! From `client-core/`: `mkdir -p fuzz/corpus/decode && cargo +nightly fuzz run decode
//! fuzz/corpus/decode fuzz/seeds/decode`. libFuzzer writes new inputs to the first
//! directory only, so the committed seeds (encoded real messages) stay as they are.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wish_client_core::proto::{decode, encode};

fuzz_target!(|frame: &[u8]| {
    if let Ok(message) = decode(frame) {
        let again = decode(&encode(&message));
        assert_eq!(again, Ok(message), "re-encoding changed the message");
    }
});
