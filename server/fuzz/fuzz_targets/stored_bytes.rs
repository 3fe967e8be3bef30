//! Loading arbitrary stored bytes: a document's snapshot, incremental and sync-state
//! chunks hold whatever the input says, then a peer asks for the document. Storage can be
//! damaged on disk; the engine must answer or refuse, never panic.
//!
//! From `server/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run stored_bytes` (scripts/fuzz.sh).

#![no_main]

#[path = "../../tests/it/engine_harness.rs"]
mod harness;

use harness::{doc, Harness};
use libfuzzer_sys::fuzz_target;
use wish_server::storage::{Storage, WriteBatch};

const KINDS: [&str; 3] = ["snapshot", "incremental", "sync-state"];

fuzz_target!(|chunks: Vec<(u8, Vec<u8>)>| {
    let mut h = Harness::new();
    let target = doc(7);
    let mut batch = WriteBatch::default();
    for (i, (kind, bytes)) in chunks.into_iter().take(8).enumerate() {
        let kind = KINDS[usize::from(kind) % KINDS.len()];
        batch.put(
            vec![target.to_string(), kind.to_owned(), format!("{i:04}")],
            bytes,
        );
    }
    let _ = h.store.commit(batch);
    h.connect(1);
    h.join(1);
    // What a tablet without the document sends first.
    let data = automerge::sync::SyncDoc::generate_sync_message(
        &automerge::Automerge::new(),
        &mut automerge::sync::State::new(),
    )
    .map(|m| m.encode())
    .unwrap_or_default();
    h.sync(1, 7, data, true);
    h.tick();
});
