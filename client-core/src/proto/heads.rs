//! Change hashes as automerge-repo writes them in `remote-heads-changed`: bs58check.

use automerge::ChangeHash;

/// A head in `remote-heads-changed` that is not a bs58check-encoded 32-byte hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid head {0:?}: expected bs58check of a 32-byte change hash")]
pub struct HeadsError(pub String);

/// Encodes heads the way automerge-repo's `encodeHeads` does.
pub fn encode_heads(heads: &[ChangeHash]) -> Vec<String> {
    heads
        .iter()
        .map(|h| bs58::encode(h.0).with_check().into_string())
        .collect()
}

/// Decodes heads written by [`encode_heads`] or by automerge-repo.
pub fn decode_heads(heads: &[String]) -> Result<Vec<ChangeHash>, HeadsError> {
    heads.iter().map(|h| decode_head(h)).collect()
}

fn decode_head(head: &str) -> Result<ChangeHash, HeadsError> {
    let bytes = bs58::decode(head)
        .with_check(None)
        .into_vec()
        .map_err(|_| HeadsError(head.to_owned()))?;
    let array: [u8; 32] = bytes.try_into().map_err(|_| HeadsError(head.to_owned()))?;
    Ok(ChangeHash(array))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_round_trip() {
        let heads = vec![ChangeHash([3; 32]), ChangeHash([200; 32])];
        assert_eq!(decode_heads(&encode_heads(&heads)).unwrap(), heads);
        assert!(decode_heads(&["nope".into()]).is_err());
    }
}
