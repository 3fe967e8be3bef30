//! Entries of a wish's `events`, `claims` and `assigned` maps.

use automerge::{ObjId, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::model::order::AtId;
use crate::model::read::{
    bool_or_false, opt_enum, opt_f64, opt_str, opt_u64, req_enum, req_str, req_u64,
};
use crate::model::{ClaimKind, EventKind, ModelError, Module};

/// One lifecycle event. Which optional fields are set depends on `kind` (see the schema).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    pub at: u64,
    pub by: String,
    pub device: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub module: Option<Module>,
    pub hours: Option<f64>,
    pub score: Option<u8>,
    pub comment: Option<String>,
    pub on_behalf: bool,
    pub claim: Option<String>,
}

/// A claim: an intent to fulfil the wish, pending until it has an [`Assignment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub kind: ClaimKind,
    pub claimant: String,
    pub at: u64,
    pub by: String,
    pub device: String,
    pub note: Option<String>,
}

/// The decision that a claim goes ahead, keyed by claim id in `assigned`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub at: u64,
    pub by: String,
    pub by_server: bool,
}

impl AtId for Event {
    fn at(&self) -> u64 {
        self.at
    }
    fn id(&self) -> &str {
        &self.id
    }
}

impl AtId for Claim {
    fn at(&self) -> u64 {
        self.at
    }
    fn id(&self) -> &str {
        &self.id
    }
}

/// Reads one event; `None` for a kind this version does not know (a newer schema's).
pub(crate) fn read_event<R: ReadDoc>(
    doc: &R,
    id: &str,
    obj: &ObjId,
) -> Result<Option<Event>, ModelError> {
    let Ok(kind) = req_str(doc, obj, "kind")?.parse::<EventKind>() else {
        return Ok(None);
    };
    Ok(Some(Event {
        id: id.to_owned(),
        kind,
        at: req_u64(doc, obj, "at")?,
        by: req_str(doc, obj, "by")?,
        device: req_str(doc, obj, "device")?,
        note: opt_str(doc, obj, "note")?,
        reason: opt_str(doc, obj, "reason")?,
        module: opt_enum(doc, obj, "module")?,
        hours: opt_f64(doc, obj, "hours")?,
        score: read_score(doc, obj)?,
        comment: opt_str(doc, obj, "comment")?,
        on_behalf: bool_or_false(doc, obj, "on_behalf")?,
        claim: opt_str(doc, obj, "claim")?,
    }))
}

fn read_score<R: ReadDoc>(doc: &R, obj: &ObjId) -> Result<Option<u8>, ModelError> {
    let Some(score) = opt_u64(doc, obj, "score")? else {
        return Ok(None);
    };
    u8::try_from(score)
        .map(Some)
        .map_err(|_| ModelError::InvalidValue {
            field: "score".to_owned(),
            value: score.to_string(),
        })
}

/// Reads one claim.
pub(crate) fn read_claim<R: ReadDoc>(doc: &R, id: &str, obj: &ObjId) -> Result<Claim, ModelError> {
    Ok(Claim {
        id: id.to_owned(),
        kind: req_enum(doc, obj, "kind")?,
        claimant: req_str(doc, obj, "claimant")?,
        at: req_u64(doc, obj, "at")?,
        by: req_str(doc, obj, "by")?,
        device: req_str(doc, obj, "device")?,
        note: opt_str(doc, obj, "note")?,
    })
}

/// Reads one assignment.
pub(crate) fn read_assignment<R: ReadDoc>(
    doc: &R,
    claim: &str,
    obj: &ObjId,
) -> Result<(String, Assignment), ModelError> {
    let assignment = Assignment {
        at: req_u64(doc, obj, "at")?,
        by: req_str(doc, obj, "by")?,
        by_server: bool_or_false(doc, obj, "by_server")?,
    };
    Ok((claim.to_owned(), assignment))
}
