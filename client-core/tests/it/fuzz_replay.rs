//! Replays the decode fuzzer's committed inputs (`fuzz/seeds/decode`, and any crash copied
//! to `fuzz/regressions/decode`) as a plain test, so `cargo test` catches a regression
//! without cargo-fuzz or a nightly toolchain. Same property as
//! `fuzz/fuzz_targets/decode.rs`: no panic, and what decodes survives encode + decode.

use std::path::Path;

use wish_client_core::proto::{decode, encode};

fn inputs(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join("decode");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            Some((
                e.path().display().to_string(),
                std::fs::read(e.path()).ok()?,
            ))
        })
        .collect()
}

#[test]
fn decode_seeds_and_regressions_round_trip() {
    let mut all = inputs("seeds");
    all.extend(inputs("regressions"));
    assert!(all.len() >= 5, "the committed seeds are missing");
    let mut decoded = 0;
    for (name, frame) in &all {
        if let Ok(message) = decode(frame) {
            decoded += 1;
            assert_eq!(decode(&encode(&message)), Ok(message), "{name}");
        }
    }
    assert!(decoded >= 5, "the seeds are real messages and must decode");
}
