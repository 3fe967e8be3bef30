//! One ledger entry and its postings.

use automerge::{ObjId, ObjType, ReadDoc, Value};
use serde::{Deserialize, Serialize};

use crate::model::order::AtId;
use crate::model::read::{field_type, opt_f64, opt_i64, opt_obj, opt_str, req_str, req_u64};
use crate::model::{LedgerKind, ModelError};

/// One movement on one account. Points are whole numbers; hours may be fractional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    pub account: String,
    pub points: i64,
    pub hours: f64,
}

/// A ledger entry; its postings sum to zero in points and in hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: String,
    pub kind: LedgerKind,
    pub at: u64,
    pub by: String,
    /// Why: free text for awards, the reversed entry's id for a reversal.
    pub reason: String,
    pub wish: Option<String>,
    pub claim: Option<String>,
    pub item: Option<String>,
    pub postings: Vec<Posting>,
}

impl LedgerEntry {
    /// Sum of the postings' points; zero for every valid entry.
    pub fn points_sum(&self) -> i64 {
        self.postings.iter().map(|p| p.points).sum()
    }

    /// Sum of the postings' hours; zero for every valid entry.
    pub fn hours_sum(&self) -> f64 {
        self.postings.iter().map(|p| p.hours).sum()
    }
}

impl AtId for LedgerEntry {
    fn at(&self) -> u64 {
        self.at
    }
    fn id(&self) -> &str {
        &self.id
    }
}

/// Reads one entry; `None` for a kind this version does not know.
pub(crate) fn read_entry<R: ReadDoc>(
    doc: &R,
    id: &str,
    obj: &ObjId,
) -> Result<Option<LedgerEntry>, ModelError> {
    let Ok(kind) = req_str(doc, obj, "kind")?.parse::<LedgerKind>() else {
        return Ok(None);
    };
    Ok(Some(LedgerEntry {
        id: id.to_owned(),
        kind,
        at: req_u64(doc, obj, "at")?,
        by: req_str(doc, obj, "by")?,
        reason: opt_str(doc, obj, "reason")?.unwrap_or_default(),
        wish: opt_str(doc, obj, "wish")?,
        claim: opt_str(doc, obj, "claim")?,
        item: opt_str(doc, obj, "item")?,
        postings: read_postings(doc, obj)?,
    }))
}

fn read_postings<R: ReadDoc>(doc: &R, obj: &ObjId) -> Result<Vec<Posting>, ModelError> {
    let Some(list) = opt_obj(doc, obj, "postings", ObjType::List)? else {
        return Err(ModelError::MissingField("postings".to_owned()));
    };
    let mut out = Vec::new();
    for i in 0..doc.length(&list) {
        let Some((Value::Object(ObjType::Map), posting)) = doc.get(&list, i)? else {
            return Err(field_type("postings", "list of maps"));
        };
        out.push(read_posting(doc, &posting).map_err(|e| e.within(&format!("postings/{i}")))?);
    }
    Ok(out)
}

fn read_posting<R: ReadDoc>(doc: &R, obj: &ObjId) -> Result<Posting, ModelError> {
    Ok(Posting {
        account: req_str(doc, obj, "account")?,
        points: opt_i64(doc, obj, "points")?.unwrap_or(0),
        hours: opt_f64(doc, obj, "hours")?.unwrap_or(0.0),
    })
}
