//! Creating a wish document together with its contact document.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, AutomergeError, ObjType, ScalarValue, ROOT};

use super::append::{b, event_header};
use crate::model::{Channel, DocType, EventKind, Module, Urgency};
use crate::ops::write::{
    commit, ensure_empty, int, non_empty, put_entry, put_fields, put_header, put_str_list, s, Field,
};
use crate::ops::{DomainError, Stamp};

/// The resident's personal data, written only to the contact document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewContact {
    /// Document id of the contact document (written to the wish's `contact`).
    pub doc_id: String,
    pub name: String,
    pub phone: String,
    pub room: String,
    /// E.g. `living_alone`, `elderly`, `ill`, `disabled`, `unemployed`.
    pub vulnerability: Vec<String>,
    pub notes: String,
    /// The resident agreed to be contacted; required for door-to-door collection.
    pub consent_given: bool,
    /// The consent was recorded by the volunteer on the resident's behalf.
    pub consent_on_behalf: bool,
}

/// Everything a collector enters for a new wish card.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectWish {
    /// The wish's own id (`wish.id`).
    pub wish_id: String,
    /// Document id of the wish document (written to the contact's `wish`).
    pub wish_doc: String,
    pub community: String,
    pub station: String,
    pub title: String,
    /// The wish in the resident's words.
    pub text: String,
    pub suggested_module: Option<Module>,
    pub channel: Channel,
    pub compound: String,
    pub building: String,
    pub urgency: Urgency,
    pub capacity: u32,
    /// Entered by a volunteer on behalf of the resident (代填).
    pub on_behalf: bool,
    /// Person id of the collector.
    pub collected_by: String,
    pub device: String,
    /// Id of the `collected` event.
    pub event_id: String,
    pub now_ms: u64,
    /// `None` if the resident gave no contact.
    pub contact: Option<NewContact>,
}

/// Initialises `wish_doc` (and `contact_doc` if the resident gave a contact) for a new
/// wish and appends its `collected` event. Both documents must be empty.
///
/// Refuses: empty ids, title or collector; capacity 0; a door-to-door contact without
/// consent; a title, text or area that contains the contact's name (2+ characters), phone
/// (5+) or room (3+), since personal data belongs in the contact document only.
pub fn collect_wish(
    wish_doc: &mut Automerge,
    contact_doc: &mut Automerge,
    input: CollectWish,
) -> Result<(), DomainError> {
    validate(&input)?;
    ensure_empty(wish_doc)?;
    if let Some(contact) = &input.contact {
        ensure_empty(contact_doc)?;
        commit(contact_doc, input.now_ms, |tx| {
            write_contact(tx, &input, contact)
        })?;
    }
    commit(wish_doc, input.now_ms, |tx| write_wish(tx, &input))
}

fn validate(input: &CollectWish) -> Result<(), DomainError> {
    for (name, value) in [
        ("wish_id", &input.wish_id),
        ("community", &input.community),
        ("station", &input.station),
        ("title", &input.title),
        ("collected_by", &input.collected_by),
        ("device", &input.device),
        ("event_id", &input.event_id),
    ] {
        non_empty(name, value)?;
    }
    if input.capacity == 0 {
        return Err(DomainError::InvalidCapacity);
    }
    match &input.contact {
        Some(contact) => validate_contact(input, contact),
        None => Ok(()),
    }
}

fn validate_contact(input: &CollectWish, contact: &NewContact) -> Result<(), DomainError> {
    non_empty("contact doc_id", &contact.doc_id)?;
    non_empty("wish_doc", &input.wish_doc)?;
    if input.channel == Channel::DoorToDoor && !contact.consent_given {
        return Err(DomainError::ConsentRequired);
    }
    let public = [
        ("title", &input.title),
        ("text", &input.text),
        ("compound", &input.compound),
        ("building", &input.building),
    ];
    for (field, value) in public {
        if leaks(value, contact) {
            return Err(DomainError::PersonalData(field));
        }
    }
    Ok(())
}

/// Whether `value` contains the contact's name, phone or room.
fn leaks(value: &str, contact: &NewContact) -> bool {
    let found = |needle: &str, min_chars: usize| {
        let needle = needle.trim();
        needle.chars().count() >= min_chars && value.contains(needle)
    };
    found(&contact.name, 2) || found(&contact.phone, 5) || found(&contact.room, 3)
}

fn write_wish(tx: &mut Transaction<'_>, input: &CollectWish) -> Result<(), AutomergeError> {
    put_header(tx, DocType::Wish)?;
    put_fields(tx, &ROOT, wish_fields(input))?;
    let text = tx.put_object(ROOT, "text", ObjType::Text)?;
    tx.splice_text(&text, 0, 0, &input.text)?;
    let area = tx.put_object(ROOT, "area", ObjType::Map)?;
    put_fields(
        tx,
        &area,
        vec![
            ("compound", s(&input.compound)),
            ("building", s(&input.building)),
        ],
    )?;
    for map in ["events", "claims", "assigned"] {
        tx.put_object(ROOT, map, ObjType::Map)?;
    }
    let stamp = Stamp {
        id: &input.event_id,
        by: &input.collected_by,
        device: &input.device,
        now_ms: input.now_ms,
    };
    put_entry(
        tx,
        &ROOT,
        "events",
        stamp.id,
        event_header(&stamp, EventKind::Collected),
    )?;
    Ok(())
}

fn wish_fields(input: &CollectWish) -> Vec<Field> {
    let module = |m: Option<Module>| Some(m.map_or(ScalarValue::Null, |m| m.as_str().into()));
    let contact = input.contact.as_ref().map(|c| c.doc_id.as_str());
    vec![
        ("id", s(&input.wish_id)),
        ("community", s(&input.community)),
        ("station", s(&input.station)),
        ("title", s(&input.title)),
        ("module", module(None)),
        ("suggested_module", module(input.suggested_module)),
        ("channel", s(input.channel.as_str())),
        ("urgency", s(input.urgency.as_str())),
        ("capacity", Some(int(u64::from(input.capacity)))),
        ("on_behalf", b(input.on_behalf)),
        ("created_at", Some(int(input.now_ms))),
        ("created_by", s(&input.collected_by)),
        (
            "contact",
            Some(contact.map_or(ScalarValue::Null, Into::into)),
        ),
    ]
}

fn write_contact(
    tx: &mut Transaction<'_>,
    input: &CollectWish,
    contact: &NewContact,
) -> Result<(), AutomergeError> {
    put_header(tx, DocType::Contact)?;
    put_fields(
        tx,
        &ROOT,
        vec![
            ("wish", s(&input.wish_doc)),
            ("station", s(&input.station)),
            ("collected_by", s(&input.collected_by)),
            ("name", s(&contact.name)),
            ("phone", s(&contact.phone)),
            ("room", s(&contact.room)),
            ("notes", s(&contact.notes)),
        ],
    )?;
    put_str_list(tx, &ROOT, "vulnerability", &contact.vulnerability)?;
    let consent = tx.put_object(ROOT, "consent", ObjType::Map)?;
    put_fields(
        tx,
        &consent,
        vec![
            ("given", b(contact.consent_given)),
            ("at", Some(int(input.now_ms))),
            ("by", s(&input.collected_by)),
            ("on_behalf", b(contact.consent_on_behalf)),
        ],
    )
}
