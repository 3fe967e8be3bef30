//! `bench ingest --as-volunteers`: the writers are enrolled volunteer tablets writing wish
//! documents, so every change goes through the server's full review (authorship, access,
//! the write rules) instead of the administrator's unchecked path.
//!
//! Before the server starts, its data directory gets one enrolled volunteer device per
//! writer (all of one station). Each writer collects its wishes with the domain operation
//! the tablet uses, then corrects their titles: one small change each, the same size as
//! the counter the default run writes, judged by the `wish.details` rule as a station
//! member's correction.

use std::path::Path;

use anyhow::Context;
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ROOT};
use wish_client_core::model::{Channel, Module, Urgency};
use wish_client_core::ops::wish::{collect_wish, CollectWish};
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::ClientDriver;

use wish_server::access::Role;
use wish_server::directory::{Directory, NewEnrollment};

const COMMUNITY: &str = "bench-community";
const STATION: &str = "bench-station";

/// One enrolled volunteer tablet.
#[derive(Debug, Clone)]
pub struct Volunteer {
    pub person: String,
    pub device: String,
    pub token: String,
}

/// Enrolls `count` volunteer devices in the (stopped) server's data directory.
pub fn enroll(data_dir: &Path, count: usize, now_ms: u64) -> anyhow::Result<Vec<Volunteer>> {
    let store = wish_server::server::open_store(data_dir).with_context(|| {
        format!(
            "opening the store in {} to enroll volunteers",
            data_dir.display()
        )
    })?;
    // Offline, nobody authenticates: the bootstrap token is irrelevant here.
    let directory = Directory::load(&wish_server::directory::new_token(), store)?;
    (0..count)
        .map(|index| {
            let person = format!("p-bench-{index}");
            let request = NewEnrollment {
                role: Role::Volunteer,
                person: person.clone(),
                community: COMMUNITY.into(),
                stations: vec![STATION.into()],
                covers: Vec::new(),
                expires_in_minutes: Some(60),
                token_days: Some(1),
                created_by: "bench".into(),
            };
            let (code, _) = directory.create_enrollment(request, now_ms)?;
            let (token, device) = directory.redeem(&code, &format!("bench {index}"), now_ms)?;
            Ok(Volunteer {
                person,
                device: device.device_id,
                token,
            })
        })
        .collect()
}

/// The sync URL of `base` (a URL with `?token=`) with the volunteer's token instead.
pub fn url_for(base: &str, volunteer: &Volunteer) -> String {
    let root = base.split('?').next().unwrap_or(base);
    format!("{root}?token={}", volunteer.token)
}

/// Collects a new wish as `volunteer`; returns its id and the hash of that change.
pub fn collect(
    driver: &mut ClientDriver,
    volunteer: &Volunteer,
    now_ms: u64,
) -> anyhow::Result<(DocumentId, ChangeHash)> {
    let id = driver.create_document(rand::random())?;
    let input = CollectWish {
        wish_id: format!("wish-{id}"),
        wish_doc: id.to_string(),
        community: COMMUNITY.into(),
        station: STATION.into(),
        title: "楼道灯坏了".into(),
        text: "三楼楼道灯不亮，晚上回家看不见".into(),
        suggested_module: Some(Module::Comprehensive),
        channel: Channel::DoorToDoor,
        compound: "幸福花园".into(),
        building: "5栋".into(),
        urgency: Urgency::Normal,
        capacity: 1,
        on_behalf: true,
        collected_by: volunteer.person.clone(),
        device: volunteer.device.clone(),
        event_id: format!("ev-{id}"),
        now_ms,
        contact: None,
    };
    let heads = driver
        .change(id, |doc| {
            collect_wish(doc, &mut Automerge::new(), input)
                .map(|()| doc.get_heads())
                .map_err(|e| e.to_string())
        })?
        .map_err(|e| anyhow::anyhow!("collecting {id}: {e}"))?;
    let hash = heads
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("collecting {id} made no change"))?;
    Ok((id, hash))
}

/// Corrects the wish's title (change number `n`); returns the hash of the change.
pub fn correct_title(
    driver: &mut ClientDriver,
    id: DocumentId,
    n: u64,
) -> anyhow::Result<ChangeHash> {
    let hash = driver.change(id, |doc| {
        let mut tx = doc.transaction();
        tx.put(ROOT, "title", format!("楼道灯坏了（第{n}次更正）"))?;
        Ok::<_, automerge::AutomergeError>(tx.commit().0)
    })??;
    hash.ok_or_else(|| anyhow::anyhow!("correcting {id} made no change"))
}
