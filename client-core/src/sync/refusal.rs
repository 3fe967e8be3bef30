//! The server's word that it refused a change: the `wish-station/refused` ephemeral
//! payload and the rows of `GET /api/v1/refusals`, read into one validated [`Refusal`].
//!
//! The server sends the payload as the `data` of an `ephemeral` message on the document,
//! from its own peer id to the peer whose change it refused:
//!
//! ```text
//! {"type": "wish-station/refused", "id": "r-17", "rule": "wish.assigned",
//!  "reason": "只有服务器可以写入 by_server / only the server may write by_server",
//!  "changes": ["<hex change hash>", ...]}
//! ```
//!
//! Every other ephemeral payload (presence, other applications) is not a refusal:
//! [`Refusal::from_ephemeral`] answers `Ok(None)` for it.

use std::str::FromStr;

use automerge::{Automerge, ChangeHash, ReadDoc};
use ciborium::Value;

use crate::proto::DocumentId;

/// The `type` of a refusal payload.
pub const REFUSED_TYPE: &str = "wish-station/refused";
/// The longest refusal id and rule name accepted, in bytes.
const MAX_NAME_BYTES: usize = 128;
/// The longest reason accepted, in bytes.
const MAX_REASON_BYTES: usize = 2048;
/// The most change hashes one refusal may name.
const MAX_CHANGES: usize = 256;

/// One refused change set of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The server's id of the refusal (the same in the ephemeral and over REST).
    pub id: String,
    pub doc: DocumentId,
    /// The rule that refused it, e.g. `wish.assigned`.
    pub rule: String,
    /// Why, in Chinese, then ` / ` and English.
    pub reason: String,
    /// The refused changes, which the server does not hold.
    pub changes: Vec<ChangeHash>,
    /// When the server refused it (milliseconds), if it said.
    pub at_ms: Option<u64>,
}

/// Why a refusal could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusalError {
    #[error("refusal payload is not a CBOR map with text keys")]
    NotAMap,
    #[error("refusal field {0:?} is missing, has the wrong type or is too long")]
    Field(&'static str),
    #[error("refusal names an invalid change hash {0:?}")]
    ChangeHash(String),
}

impl Refusal {
    /// Builds a refusal from its parts, checking lengths and change hashes (hex).
    pub fn new(
        id: String,
        doc: DocumentId,
        rule: String,
        reason: String,
        changes: &[String],
        at_ms: Option<u64>,
    ) -> Result<Self, RefusalError> {
        check_len("id", &id, MAX_NAME_BYTES)?;
        check_len("rule", &rule, MAX_NAME_BYTES)?;
        check_len("reason", &reason, MAX_REASON_BYTES)?;
        if changes.len() > MAX_CHANGES {
            return Err(RefusalError::Field("changes"));
        }
        let changes = changes
            .iter()
            .map(|h| parse_hash(h))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            id,
            doc,
            rule,
            reason,
            changes,
            at_ms,
        })
    }

    /// Reads the `data` of an ephemeral message on `doc`: `Ok(None)` if it is not a
    /// refusal, an error if it claims to be one but is malformed.
    pub fn from_ephemeral(doc: DocumentId, data: &[u8]) -> Result<Option<Self>, RefusalError> {
        let Ok(Value::Map(entries)) = ciborium::de::from_reader::<Value, _>(data) else {
            return Ok(None);
        };
        let mut fields = PayloadFields(entries);
        if fields.text("type").as_deref() != Some(REFUSED_TYPE) {
            return Ok(None);
        }
        let text =
            |fields: &mut PayloadFields, key| fields.text(key).ok_or(RefusalError::Field(key));
        let id = text(&mut fields, "id")?;
        let rule = text(&mut fields, "rule")?;
        let reason = text(&mut fields, "reason")?;
        let changes = fields
            .text_list("changes")
            .ok_or(RefusalError::Field("changes"))?;
        Self::new(id, doc, rule, reason, &changes, None).map(Some)
    }

    /// The reason in Chinese: the part before ` / ` (all of it if there is no English).
    pub fn reason_zh(&self) -> &str {
        self.reason
            .split(" / ")
            .next()
            .unwrap_or(&self.reason)
            .trim()
    }

    /// The reason in English: the part after the first ` / ` (all of it if none).
    pub fn reason_en(&self) -> &str {
        match self.reason.split_once(" / ") {
            Some((_, english)) => english.trim(),
            None => &self.reason,
        }
    }

    /// Whether `doc` (the local replica) still holds one of the refused changes. A refusal
    /// that names no change never applies.
    pub fn applies_to(&self, doc: &Automerge) -> bool {
        self.changes
            .iter()
            .any(|hash| doc.get_change_by_hash(hash).is_some())
    }
}

fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), RefusalError> {
    if value.is_empty() && field != "reason" || value.len() > max {
        return Err(RefusalError::Field(field));
    }
    Ok(())
}

fn parse_hash(hex: &str) -> Result<ChangeHash, RefusalError> {
    if hex.len() != 64 {
        return Err(RefusalError::ChangeHash(hex.chars().take(80).collect()));
    }
    ChangeHash::from_str(hex).map_err(|_| RefusalError::ChangeHash(hex.to_owned()))
}

/// The entries of the payload map, read by key.
struct PayloadFields(Vec<(Value, Value)>);

impl PayloadFields {
    fn take(&mut self, key: &str) -> Option<Value> {
        let (_, value) = self
            .0
            .iter_mut()
            .rev()
            .find(|(k, _)| k.as_text() == Some(key))?;
        Some(std::mem::replace(value, Value::Null))
    }

    fn text(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    fn text_list(&mut self, key: &str) -> Option<Vec<String>> {
        let Value::Array(items) = self.take(key)? else {
            return None;
        };
        items
            .into_iter()
            .map(|item| match item {
                Value::Text(text) => Some(text),
                _ => None,
            })
            .collect()
    }
}
