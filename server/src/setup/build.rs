//! The documents of a new community, built with the server's actor: the community (with
//! its first person in the directory and its stations listed), one document per station,
//! and the points ledger.

use automerge::{ActorId, Automerge};
use rand::Rng;
use serde::Deserialize;
use wish_client_core::model::community::{Person, StationRef};
use wish_client_core::model::{Role as PersonRole, StationKind};
use wish_client_core::ops::community::{add_person, add_station, create_community, NewCommunity};
use wish_client_core::ops::ledger::create_ledger;
use wish_client_core::ops::station::{create_station, NewStation};
use wish_client_core::proto::DocumentId;

use crate::access::Role;
use crate::import::Problem;

/// Most stations created at setup (more are added later).
pub const MAX_STATIONS: usize = 20;
/// Longest name, district or address accepted, in characters.
const MAX_TEXT: usize = 100;

/// `POST /api/v1/setup`: the code, the community, its first stations and the first
/// account (a coordinator of every station, or the community's office).
#[derive(Debug, Clone, Deserialize)]
pub struct SetupRequest {
    /// The setup code (`POST /api/v1/setup`); absent for `POST /api/v1/communities`,
    /// whose credential is the caller's token.
    #[serde(default)]
    pub code: String,
    pub community: CommunityInput,
    pub stations: Vec<StationInput>,
    /// The first person's name.
    pub person: String,
    /// `coordinator` or `office`.
    pub role: Role,
    /// What the browser calls itself in the device list.
    #[serde(default)]
    pub device_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommunityInput {
    pub name: String,
    #[serde(default)]
    pub district: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StationInput {
    pub name: String,
    pub kind: StationKind,
    #[serde(default)]
    pub address: String,
}

/// The built documents and the ids the enrollment needs.
pub struct SetupDocs {
    pub community_doc: DocumentId,
    pub person: String,
    pub stations: Vec<String>,
    pub docs: Vec<(DocumentId, Automerge)>,
}

impl SetupRequest {
    /// Checks the form; the error is a message for the person filling it in.
    pub fn validate(&self) -> Result<(), Problem> {
        text(("社区名称", "community name"), &self.community.name, true)?;
        text(("所属街道", "district"), &self.community.district, false)?;
        text(("姓名", "name"), &self.person, true)?;
        if !matches!(self.role, Role::Coordinator | Role::Office) {
            return Err(Problem::new(
                "第一个账号是驿站社工或街道",
                "the first account is a coordinator or the office",
            ));
        }
        if self.stations.is_empty() || self.stations.len() > MAX_STATIONS {
            return Err(Problem::new(
                format!("请填写 1 到 {MAX_STATIONS} 个驿站"),
                format!("give 1 to {MAX_STATIONS} stations"),
            ));
        }
        for (i, station) in self.stations.iter().enumerate() {
            text(("驿站名称", "station name"), &station.name, true)?;
            text(("地址", "address"), &station.address, false)?;
            let twice = self.stations[..i]
                .iter()
                .any(|s| s.name.trim() == station.name.trim());
            if twice {
                return Err(Problem::new(
                    format!("驿站名称“{}”填了两次", station.name.trim()),
                    format!("station name {:?} is given twice", station.name),
                ));
            }
        }
        Ok(())
    }

    /// Builds every document with `actor` (the server's).
    pub fn build(&self, actor: &ActorId, now_ms: u64) -> Result<SetupDocs, String> {
        let community_doc = new_doc_id();
        let mut community = new_doc(actor);
        let profile = NewCommunity {
            id: community_doc.to_string(),
            name: self.community.name.trim().to_owned(),
            district: self.community.district.trim().to_owned(),
        };
        create_community(&mut community, &profile, now_ms).map_err(|e| e.to_string())?;
        let mut docs = Vec::new();
        let mut stations = Vec::new();
        for (i, input) in self.stations.iter().enumerate() {
            let id = format!("s{}", i + 1);
            let (doc_id, doc) = station(input, &id, community_doc, actor, now_ms)?;
            let listed = StationRef {
                name: input.name.trim().to_owned(),
                kind: input.kind,
                doc: doc_id.to_string(),
            };
            add_station(&mut community, &id, &listed, now_ms).map_err(|e| e.to_string())?;
            docs.push((doc_id, doc));
            stations.push(id);
        }
        let person = self.first_person(&stations);
        add_person(&mut community, &person, now_ms).map_err(|e| e.to_string())?;
        let mut ledger = new_doc(actor);
        create_ledger(&mut ledger, &community_doc.to_string(), now_ms)
            .map_err(|e| e.to_string())?;
        docs.insert(0, (community_doc, community));
        docs.push((new_doc_id(), ledger));
        Ok(SetupDocs {
            community_doc,
            person: person.id,
            stations,
            docs,
        })
    }

    fn first_person(&self, stations: &[String]) -> Person {
        Person {
            id: format!("p-{}", hex::encode(rand::rng().random::<[u8; 6]>())),
            name: self.person.trim().to_owned(),
            role: PersonRole::Coordinator,
            modules: Vec::new(),
            skills: Vec::new(),
            party_member: false,
            unit: None,
            stations: stations.to_vec(),
            left_at: None,
        }
    }
}

fn station(
    input: &StationInput,
    id: &str,
    community: DocumentId,
    actor: &ActorId,
    now_ms: u64,
) -> Result<(DocumentId, Automerge), String> {
    let doc_id = new_doc_id();
    let mut doc = new_doc(actor);
    let station = NewStation {
        id: id.to_owned(),
        community: community.to_string(),
        name: input.name.trim().to_owned(),
        kind: input.kind,
        address: input.address.trim().to_owned(),
    };
    create_station(&mut doc, &station, now_ms).map_err(|e| e.to_string())?;
    Ok((doc_id, doc))
}

/// A text field named `(zh, en)`: filled in if `required`, at most `MAX_TEXT` characters.
fn text((zh, en): (&str, &str), value: &str, required: bool) -> Result<(), Problem> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(Problem::new(
            format!("{zh}没有填"),
            format!("{en} is empty"),
        ));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(Problem::new(
            format!("{zh}超过 {MAX_TEXT} 个字"),
            format!("{en} is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(())
}

fn new_doc(actor: &ActorId) -> Automerge {
    Automerge::new().with_actor(actor.clone())
}

fn new_doc_id() -> DocumentId {
    DocumentId::from_bytes(rand::rng().random())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wish_client_core::model::{CommunityView, StationView};

    fn request(stations: &[&str]) -> SetupRequest {
        let body = serde_json::json!({
            "code": "X",
            "community": { "name": "和谐社区", "district": "和平街道" },
            "stations": stations.iter().map(|n| serde_json::json!({ "name": n, "kind": "red_station" })).collect::<Vec<_>>(),
            "person": "王芳",
            "role": "coordinator",
        });
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn the_form_is_checked() {
        assert!(request(&["一号站", "二号站"]).validate().is_ok());
        assert_eq!(
            request(&[]).validate().unwrap_err().en,
            "give 1 to 20 stations"
        );
        let twice = request(&["一号站", " 一号站 "]).validate().unwrap_err();
        assert_eq!(twice.zh, "驿站名称“一号站”填了两次");
        let mut office_less = request(&["一号站"]);
        office_less.role = Role::Volunteer;
        assert!(office_less.validate().is_err());
        let mut nameless = request(&["一号站"]);
        nameless.person = "  ".into();
        assert_eq!(nameless.validate().unwrap_err().zh, "姓名没有填");
    }

    #[test]
    fn the_community_lists_its_stations_and_first_person() {
        let actor = ActorId::random();
        let built = request(&["一号站", "二号站"]).build(&actor, 1).unwrap();
        assert_eq!(built.docs.len(), 4, "community, two stations, ledger");
        assert_eq!(built.docs[0].0, built.community_doc);
        let community = CommunityView::read(&built.docs[0].1).unwrap();
        assert_eq!(community.id, built.community_doc.to_string());
        assert_eq!(community.people[&built.person].stations, vec!["s1", "s2"]);
        assert_eq!(community.stations["s2"].kind, StationKind::RedStation);
        assert_eq!(community.stations["s1"].doc, built.docs[1].0.to_string());
        let station = StationView::read(&built.docs[2].1).unwrap();
        assert_eq!(
            (station.id.as_str(), station.name.as_str()),
            ("s2", "二号站")
        );
        let by_server = built
            .docs
            .iter()
            .all(|(_, doc)| doc.get_changes(&[]).iter().all(|c| c.actor_id() == &actor));
        assert!(by_server, "every change is by the given actor");
    }
}
