//! Turning a checked [`Card`] into its wish and contact documents with
//! [`collect_wish`], which enforces the schema's rules.

use automerge::{ActorId, Automerge};
use rand::Rng;
use wish_client_core::model::Channel;
use wish_client_core::ops::wish::{collect_wish, CollectWish, NewContact};
use wish_client_core::ops::DomainError;
use wish_client_core::proto::DocumentId;

use super::row::Card;
use crate::import::Problem;

/// The device id written on imported events.
pub const DEVICE: &str = "csv-import";

/// A wish document and, if the resident left a contact, its contact document.
pub struct Built {
    pub station: String,
    pub wish_doc: DocumentId,
    pub wish: Automerge,
    pub contact: Option<(DocumentId, Automerge)>,
}

/// Builds the documents of one card with `actor` (the server's, when the running server
/// writes them); the error is a message for the user.
pub fn build(card: &Card, community_doc: &DocumentId, actor: &ActorId) -> Result<Built, Problem> {
    let mut rng = rand::rng();
    let wish_doc = DocumentId::from_bytes(rng.random());
    let contact_doc = DocumentId::from_bytes(rng.random());
    let input = collect_input(card, community_doc, wish_doc, contact_doc);
    let mut wish = Automerge::new().with_actor(actor.clone());
    let mut contact = Automerge::new().with_actor(actor.clone());
    collect_wish(&mut wish, &mut contact, input).map_err(explain)?;
    Ok(Built {
        station: card.station.clone(),
        wish_doc,
        wish,
        contact: card.contact.as_ref().map(|_| (contact_doc, contact)),
    })
}

fn collect_input(
    card: &Card,
    community_doc: &DocumentId,
    wish_doc: DocumentId,
    contact_doc: DocumentId,
) -> CollectWish {
    let mut rng = rand::rng();
    // Cards a volunteer filled in for the resident (代填); paper cards the resident wrote.
    let on_behalf = matches!(
        card.channel,
        Channel::DoorToDoor | Channel::Phone | Channel::GridVisit
    );
    CollectWish {
        wish_id: hex::encode(rng.random::<[u8; 16]>()),
        wish_doc: wish_doc.to_string(),
        community: community_doc.to_string(),
        station: card.station.clone(),
        title: card.title.clone(),
        text: card.text.clone(),
        suggested_module: card.suggested_module,
        channel: card.channel,
        compound: card.compound.clone(),
        building: card.building.clone(),
        urgency: card.urgency,
        capacity: 1,
        on_behalf,
        collected_by: card.collected_by.clone(),
        device: DEVICE.to_owned(),
        event_id: hex::encode(rng.random::<[u8; 16]>()),
        now_ms: card.collected_at,
        contact: card.contact.as_ref().map(|c| NewContact {
            doc_id: contact_doc.to_string(),
            name: c.name.clone(),
            phone: c.phone.clone(),
            room: c.room.clone(),
            vulnerability: Vec::new(),
            notes: String::new(),
            consent_given: c.consent,
            consent_on_behalf: on_behalf,
        }),
    }
}

fn explain(error: DomainError) -> Problem {
    match error {
        DomainError::PersonalData(field) => Problem::new(
            format!("{field} 里有居民的姓名、电话或房号；这些只能填在居民姓名、电话、房号栏"),
            format!(
                "{field} contains the resident's name, phone or room; keep personal data in \
                 resident_name, phone and room only"
            ),
        ),
        DomainError::ConsentRequired => Problem::new(
            "上门收集的心愿卡留了联系方式，“同意联系”要填 是",
            "a door_to_door card with a name, phone or room needs consent yes",
        ),
        other => Problem::new(other.to_string(), other.to_string()),
    }
}
