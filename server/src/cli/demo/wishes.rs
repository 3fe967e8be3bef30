//! Collecting the demo's wish cards (each with its contact document), indexing them in
//! their station and running each through its planned lifecycle.

use automerge::Automerge;
use wish_client_core::model::{Channel, Module, Role, Urgency};
use wish_client_core::ops::station::index_wish;
use wish_client_core::ops::wish::{collect_wish, CollectWish, NewContact};
use wish_client_core::proto::DocumentId;

use super::data::{StationData, PEOPLE};
use super::directory::Directory;
use super::gen::{Gen, Timeline, DAY_MS};
use super::ledger::Ledger;
use super::lifecycle::WishRun;
use super::plan;
use super::templates::{WishTemplate, CONTACT_NOTES, SURNAMES, TEMPLATES};

/// A finished wish document and its contact document, if the resident left one.
pub struct DemoWish {
    pub doc_id: DocumentId,
    pub doc: Automerge,
    pub contact: Option<(DocumentId, Automerge)>,
}

/// Builds `count` wishes spread over the stations.
pub fn build_all(
    g: &mut Gen,
    dir: &mut Directory,
    ledger: &mut Ledger,
    count: usize,
) -> anyhow::Result<Vec<DemoWish>> {
    (0..count).map(|i| build_one(g, dir, ledger, i)).collect()
}

fn build_one(
    g: &mut Gen,
    dir: &mut Directory,
    ledger: &mut Ledger,
    i: usize,
) -> anyhow::Result<DemoWish> {
    let plan = plan::plan(g, i);
    let template = template(g, plan::module(i));
    let station = dir.stations[g.index(dir.stations.len())].data;
    let (lo, hi) = plan.age_days();
    let created = g.days_ago(lo, hi);
    let (doc_id, contact_id) = (g.doc_id(), g.doc_id());
    let (mut doc, mut contact_doc) = (g.new_doc(), g.new_doc());
    let channel = plan::channel(g, i);
    let input = card(g, template, station, channel, created);
    let input = CollectWish {
        wish_doc: doc_id.to_string(),
        community: dir.doc_id.to_string(),
        contact: contact(g, &input, contact_id),
        ..input
    };
    let has_contact = input.contact.is_some();
    collect_wish(&mut doc, &mut contact_doc, input)?;
    if let Some(s) = dir.station(station.id) {
        index_wish(&mut s.doc, &doc_id.to_string(), created)?;
    }
    let mut run = WishRun {
        time: Timeline::new(created, (created + 25 * DAY_MS).min(g.now_ms)),
        g,
        doc: &mut doc,
        module: template.module,
        capacity: template.capacity,
        coordinator: coordinator(station.id),
        desk: format!("pc-{}", station.id),
        left: 0,
    };
    run.run(plan, ledger)?;
    Ok(DemoWish {
        doc_id,
        doc,
        contact: has_contact.then_some((contact_id, contact_doc)),
    })
}

/// A template of `module`, or of any module.
fn template(g: &mut Gen, module: Option<Module>) -> &'static WishTemplate {
    let matching: Vec<&'static WishTemplate> = TEMPLATES
        .iter()
        .filter(|t| module.is_none_or(|m| t.module == m))
        .collect();
    g.pick(&matching)
}

/// The public part of the card; ids and links are filled in by the caller.
fn card(
    g: &mut Gen,
    t: &WishTemplate,
    station: &StationData,
    channel: Channel,
    now_ms: u64,
) -> CollectWish {
    let collector = collector(g, station.id, channel);
    CollectWish {
        wish_id: g.id(),
        wish_doc: String::new(),
        community: String::new(),
        station: station.id.into(),
        title: t.title.into(),
        text: g.pick(t.texts).into(),
        suggested_module: g.chance(0.6).then_some(t.module),
        channel,
        compound: g.pick(station.compounds).into(),
        building: format!("{}栋", g.int(1, 18)),
        urgency: Urgency::ALL[g.weighted(&t.urgency)],
        capacity: t.capacity,
        on_behalf: on_behalf(channel),
        collected_by: collector.into(),
        device: format!("pad-{collector}"),
        event_id: g.id(),
        now_ms,
        contact: None,
    }
}

/// The resident's contact, with obviously fake data; some box and wall cards have none.
fn contact(g: &mut Gen, card: &CollectWish, doc_id: DocumentId) -> Option<NewContact> {
    let anonymous = matches!(card.channel, Channel::WishBox | Channel::WishWall);
    if anonymous && g.chance(0.25) {
        return None;
    }
    let template = TEMPLATES.iter().find(|t| t.title == card.title);
    let vulnerability = template.map_or(&[][..], |t| t.vulnerability);
    Some(NewContact {
        doc_id: doc_id.to_string(),
        name: format!("{}某某", g.pick(SURNAMES)),
        phone: format!("13800000{:03}", g.int(0, 999)),
        room: format!("{}0{}室", g.int(1, 18), g.int(1, 4)),
        vulnerability: vulnerability.iter().map(|v| (*v).to_owned()).collect(),
        notes: g.pick(CONTACT_NOTES).into(),
        consent_given: card.channel == Channel::DoorToDoor || g.chance(0.85),
        consent_on_behalf: card.on_behalf,
    })
}

/// Cards a volunteer filled in for the resident (代填).
fn on_behalf(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::DoorToDoor | Channel::Phone | Channel::GridVisit
    )
}

/// Volunteers of the station collect in the field; the coordinator at the desk.
fn collector(g: &mut Gen, station: &str, channel: Channel) -> &'static str {
    if matches!(channel, Channel::WalkIn | Channel::Phone) {
        return coordinator(station);
    }
    let volunteers: Vec<&'static str> = PEOPLE
        .iter()
        .filter(|p| p.role == Role::Volunteer && p.stations.contains(&station))
        .map(|p| p.id)
        .collect();
    if volunteers.is_empty() {
        return coordinator(station);
    }
    g.pick(&volunteers)
}

fn coordinator(station: &str) -> &'static str {
    PEOPLE
        .iter()
        .find(|p| p.role == Role::Coordinator && p.stations.contains(&station))
        .map_or("p01", |p| p.id)
}
