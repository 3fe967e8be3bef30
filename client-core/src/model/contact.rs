//! The `contact` document: the resident's personal data behind one wish card.
//!
//! It is the only document type that holds a resident's name, phone, room or health
//! notes; access to it is restricted and it can be deleted for real.

use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};

use super::doc_type::expect_type;
use super::read::{bool_or_false, opt_obj, opt_u64, req_str, str_list, str_or_empty};
use super::{DocType, ModelError};

/// The resident's consent to be contacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub given: bool,
    pub at: u64,
    /// Person id of whoever recorded it.
    pub by: String,
    /// Recorded by a volunteer on the resident's behalf.
    pub on_behalf: bool,
}

/// A contact document read into plain values. Required: `wish`, `station`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    /// Document id of the wish.
    pub wish: String,
    pub station: String,
    pub collected_by: String,
    pub name: String,
    pub phone: String,
    pub room: String,
    pub vulnerability: Vec<String>,
    pub notes: String,
    /// `None` if no consent was recorded.
    pub consent: Option<Consent>,
}

impl ContactView {
    /// Reads a contact document; call it only where the user may see personal data.
    pub fn read(doc: &Automerge) -> Result<ContactView, ModelError> {
        expect_type(doc, DocType::Contact)?;
        Ok(ContactView {
            wish: req_str(doc, &ROOT, "wish")?,
            station: req_str(doc, &ROOT, "station")?,
            collected_by: str_or_empty(doc, &ROOT, "collected_by")?,
            name: str_or_empty(doc, &ROOT, "name")?,
            phone: str_or_empty(doc, &ROOT, "phone")?,
            room: str_or_empty(doc, &ROOT, "room")?,
            vulnerability: str_list(doc, &ROOT, "vulnerability")?,
            notes: str_or_empty(doc, &ROOT, "notes")?,
            consent: read_consent(doc).map_err(|e| e.within("consent"))?,
        })
    }

    /// Whether the resident agreed to be contacted.
    pub fn may_contact(&self) -> bool {
        self.consent.as_ref().is_some_and(|c| c.given)
    }
}

fn read_consent<R: ReadDoc>(doc: &R) -> Result<Option<Consent>, ModelError> {
    let Some(obj) = opt_obj(doc, &ROOT, "consent", ObjType::Map)? else {
        return Ok(None);
    };
    Ok(Some(Consent {
        given: bool_or_false(doc, &obj, "given")?,
        at: opt_u64(doc, &obj, "at")?.unwrap_or(0),
        by: str_or_empty(doc, &obj, "by")?,
        on_behalf: bool_or_false(doc, &obj, "on_behalf")?,
    }))
}
