use std::io::Write;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};

use super::*;

const LIMIT: u64 = 1 << 20;

/// A chunk with the given type and body (the checksum is not checked here).
fn chunk_of(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend([0, 0, 0, 0, kind]);
    leb128::write::unsigned(&mut out, body.len() as u64).expect("vec write");
    out.extend(body);
    out
}

fn deflate_zeros(n: usize) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; n]).expect("vec write");
    encoder.finish().expect("vec write")
}

/// A document with enough text that automerge deflates some of its columns.
fn big_document() -> AutoCommit {
    let mut doc = AutoCommit::new();
    for i in 0..200 {
        doc.put(ROOT, format!("key-{i}"), "心愿 ".repeat(20))
            .expect("put");
    }
    doc
}

#[test]
fn honest_changes_and_documents_pass_with_their_size() {
    let mut doc = big_document();
    let saved = doc.save();
    let size = inflated_size([saved.as_slice()], LIMIT).expect("a document passes");
    assert!(
        size >= saved.len() as u64 / 2,
        "{size} for {} bytes",
        saved.len()
    );
    let changes: Vec<Vec<u8>> = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let total = inflated_size(changes.iter().map(Vec::as_slice), LIMIT).expect("changes pass");
    assert!(total > 0);
    let incremental = doc.save_after(&[]);
    assert!(inflated_size([incremental.as_slice()], LIMIT).is_ok());
}

#[test]
fn a_compressed_change_that_inflates_past_the_limit_is_refused() {
    let bomb = chunk_of(2, &deflate_zeros(64 << 20));
    assert!(bomb.len() < 100_000, "{} bytes", bomb.len());
    assert_eq!(
        inflated_size([bomb.as_slice()], LIMIT),
        Err(InflationError::TooLarge { limit: LIMIT })
    );
}

#[test]
fn a_deflated_document_column_past_the_limit_is_refused() {
    let column = deflate_zeros(8 << 20);
    let mut body = vec![0u8]; // no actors
    body.push(0); // no heads
    body.push(1); // one change column, deflated
    leb128::write::unsigned(&mut body, (1 << 4) | DEFLATE_BIT).expect("vec write");
    leb128::write::unsigned(&mut body, column.len() as u64).expect("vec write");
    body.push(0); // no op columns
    body.extend(&column);
    let bomb = chunk_of(0, &body);
    assert_eq!(
        inflated_size([bomb.as_slice()], LIMIT),
        Err(InflationError::TooLarge { limit: LIMIT })
    );
}

#[test]
fn bundles_and_malformed_chunks_are_refused() {
    let bundle = chunk_of(3, b"anything");
    assert_eq!(
        inflated_size([bundle.as_slice()], LIMIT),
        Err(InflationError::Bundle)
    );
    let mut truncated = chunk_of(1, &[1, 2, 3, 4]);
    truncated.truncate(truncated.len() - 2);
    assert!(matches!(
        inflated_size([truncated.as_slice()], LIMIT),
        Err(InflationError::Malformed(_))
    ));
    assert!(matches!(
        inflated_size([&b"not a chunk"[..]], LIMIT),
        Err(InflationError::Malformed(_))
    ));
    let lying = chunk_of(0, &[0, 0, 0x7f]);
    assert!(matches!(
        inflated_size([lying.as_slice()], LIMIT),
        Err(InflationError::Malformed(_))
    ));
}

#[test]
fn several_chunks_in_one_entry_are_all_counted() {
    let one = chunk_of(1, &[7; 100]);
    let two = [one.clone(), one].concat();
    assert_eq!(inflated_size([two.as_slice()], LIMIT), Ok(200));
    assert_eq!(
        inflated_size([two.as_slice()], 150),
        Err(InflationError::TooLarge { limit: 150 })
    );
}
