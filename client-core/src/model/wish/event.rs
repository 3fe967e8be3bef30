//! Entries of a wish's `events`, `claims` and `assigned` maps.

use automerge::{ObjId, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::model::fields::Fields;
use crate::model::order::AtId;
use crate::model::read::str_list;
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
    /// Written by a coordinator on the claimant's behalf (派单); `by` names the
    /// coordinator. Missing reads `false`.
    #[serde(default)]
    pub dispatched: bool,
    /// The people of a `group` claim (帮帮团), the lead (`claimant`) included; empty for
    /// other kinds.
    #[serde(default)]
    pub members: Vec<String>,
    /// The offer of the resources list (资源清单) the wish was booked against, when a
    /// coordinator dispatched it to that offer's provider (two-way claiming).
    #[serde(default)]
    pub offer: Option<String>,
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
    let f = Fields::of(doc, obj);
    let Ok(kind) = f.req_str("kind")?.parse::<EventKind>() else {
        return Ok(None);
    };
    Ok(Some(Event {
        id: id.to_owned(),
        kind,
        at: f.req_u64("at")?,
        by: f.req_str("by")?,
        device: f.req_str("device")?,
        note: f.opt_str("note")?,
        reason: f.opt_str("reason")?,
        module: f.opt_enum("module")?,
        hours: f.opt_f64("hours")?,
        score: read_score(&f)?,
        comment: f.opt_str("comment")?,
        on_behalf: f.bool_or_false("on_behalf")?,
        claim: f.opt_str("claim")?,
    }))
}

fn read_score<R: ReadDoc>(f: &Fields<'_, R>) -> Result<Option<u8>, ModelError> {
    let Some(score) = f.opt_u64("score")? else {
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
    let f = Fields::of(doc, obj);
    Ok(Claim {
        id: id.to_owned(),
        kind: f.req_enum("kind")?,
        claimant: f.req_str("claimant")?,
        at: f.req_u64("at")?,
        by: f.req_str("by")?,
        device: f.req_str("device")?,
        note: f.opt_str("note")?,
        dispatched: f.bool_or_false("dispatched")?,
        members: str_list(doc, obj, "members")?,
        offer: f.opt_str("offer")?,
    })
}

/// Reads one assignment.
pub(crate) fn read_assignment<R: ReadDoc>(
    doc: &R,
    claim: &str,
    obj: &ObjId,
) -> Result<(String, Assignment), ModelError> {
    let f = Fields::of(doc, obj);
    let assignment = Assignment {
        at: f.req_u64("at")?,
        by: f.req_str("by")?,
        by_server: f.bool_or_false("by_server")?,
    };
    Ok((claim.to_owned(), assignment))
}
