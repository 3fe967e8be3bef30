//! `wish-station demo`: seeds an empty data directory with a living district in Chinese
//! (南山区: 幸福社区, 阳光社区 and 和平社区; `--communities` takes fewer). Each community has
//! four stations with a week of duty roster, about thirty volunteers, members and experts,
//! six partner units, the resources and projects lists, a redemption catalogue, a points
//! ledger, and its share of the wishes (by default 400 in all, half of them in 幸福社区)
//! over the past twelve weeks in every status, module and channel, each with its contact
//! document.
//!
//! Every document is written with the validated operations of `wish_client_core::ops`,
//! one transaction per community. The same `--seed` on the same day gives the same
//! documents and ids (times count back from the start of today, UTC+8). Seeding takes
//! time linear in the number of wishes: each wish, its station's index entry and its
//! ledger entry are single writes (see `ledger.rs` for the one that was not).

mod claimants;
mod data;
mod directory;
mod gen;
mod ledger;
mod lifecycle;
mod plan;
mod report;
mod roster;
mod templates;
mod wishes;

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;
use wish_client_core::proto::DocumentId;

use self::directory::Directory;
use self::gen::Gen;
use self::ledger::Ledger;
use self::report::Report;
use self::wishes::DemoWish;
use super::doc_writer::{load_doc, open_offline_store, DocBatch};
use crate::access::Role;
use crate::calendar as date;
use crate::domain::SUMMARY_PREFIX;
use crate::storage::Storage;

#[derive(Args)]
pub struct DemoArgs {
    /// Data directory to seed (the server must be stopped; it must hold no wishes yet).
    #[arg(long, default_value = "./data")]
    data: PathBuf,
    /// How many wishes to create in all: half in the first community, the rest shared by
    /// the others (15 or more in a community shows every status there).
    #[arg(long, default_value_t = 400)]
    wishes: usize,
    /// How many communities of the district to seed (1 to 3).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=3))]
    communities: u8,
    /// Seed of the random choices; the same seed gives the same documents on one day.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let communities = seed(&args)?;
    demo_codes(&args.data, &communities)
}

/// `serve --demo`: seeds the data directory with the demo community unless it already
/// holds a community, then makes enrollment codes (valid 7 days) for a coordinator and a
/// volunteer of its main station so that a browser can look around at once.
pub fn seed_for_serve(data: &std::path::Path) -> anyhow::Result<()> {
    let present = crate::setup::has_community(open_offline_store(data)?.as_ref())?;
    if present {
        super::device::print_line("demo: this data directory already holds a community");
        return Ok(());
    }
    let args = DemoArgs {
        data: data.to_owned(),
        wishes: 400,
        communities: 3,
        seed: 1,
    };
    let communities = seed(&args)?;
    demo_codes(data, &communities)
}

fn demo_codes(data: &std::path::Path, communities: &[DocumentId]) -> anyhow::Result<()> {
    let Some((community, neighbours)) = communities.split_first() else {
        return Ok(());
    };
    let store = open_offline_store(data)?;
    let directory = crate::directory::Directory::load(&crate::directory::new_token(), store)?;
    let people = [
        ("p01", Role::Coordinator, "林晓梅, 驿站负责人"),
        ("p05", Role::Volunteer, "张桂芳, 志愿者"),
    ];
    for (person, role, who) in people {
        let request = crate::directory::NewEnrollment {
            role,
            person: person.into(),
            community: community.to_string(),
            stations: vec!["center".into()],
            covers: Vec::new(),
            expires_in_minutes: Some(7 * 24 * 60),
            token_days: None,
            created_by: "demo".into(),
        };
        let (code, _) = directory.create_enrollment(request, crate::clock::now_ms())?;
        super::device::print_line(&format!("demo enrollment code for {who}: {code}"));
    }
    let office = crate::directory::NewEnrollment {
        role: Role::Office,
        person: "street-office".into(),
        community: community.to_string(),
        stations: Vec::new(),
        covers: neighbours.iter().map(ToString::to_string).collect(),
        expires_in_minutes: Some(7 * 24 * 60),
        token_days: None,
        created_by: "demo".into(),
    };
    let (code, _) = directory.create_enrollment(office, crate::clock::now_ms())?;
    super::device::print_line(&format!(
        "demo enrollment code for the 街道 office (every community of the district, at /office): {code}"
    ));
    super::device::print_line(
        "open the server's address in a browser and enter one of these codes (valid 7 days)",
    );
    Ok(())
}

/// Seeds the district's communities; returns their document ids, the first community's
/// first.
fn seed(args: &DemoArgs) -> anyhow::Result<Vec<DocumentId>> {
    let store = open_offline_store(&args.data)?;
    let today = date::local_day(crate::clock::now_ms());
    let mut g = Gen::new(args.seed, date::local_ms(today, 0));
    let profiles = &data::COMMUNITIES[..usize::from(args.communities).min(data::COMMUNITIES.len())];
    let shares = shares(args.wishes, profiles.len());
    refuse_wishes(store.as_ref())?;
    let mut seeded = Vec::new();
    for (profile, wishes) in profiles.iter().zip(shares) {
        seeded.push(seed_community(
            &mut g,
            store.as_ref(),
            args,
            profile,
            wishes,
        )?);
    }
    Ok(seeded)
}

/// The wishes of each community: half in the first, the rest shared by the others.
fn shares(wishes: usize, communities: usize) -> Vec<usize> {
    let others = communities.saturating_sub(1);
    let each = (wishes / 2).checked_div(others).unwrap_or(0);
    let mut shares = vec![each; communities];
    if let Some(first) = shares.first_mut() {
        *first = wishes - each * others;
    }
    shares
}

/// Seeds one community of the district in one transaction; returns its document id.
fn seed_community(
    g: &mut Gen,
    store: &dyn Storage,
    args: &DemoArgs,
    profile: &'static data::CommunityData,
    wishes: usize,
) -> anyhow::Result<DocumentId> {
    let mut dir = directory::build(g, profile)?;
    refuse_seeded(store, &dir)?;
    let mut shifts = 0;
    for station in &mut dir.stations {
        shifts += roster::build(g, station)?;
    }
    let mut ledger = Ledger::create(g, dir.doc_id)?;
    let wishes = wishes::build_all(g, &mut dir, &mut ledger, wishes)?;
    ledger.awards_and_redemptions(g, &dir.view)?;
    let batch = batch(&dir, &ledger, &wishes)?;
    let report = Report::new(
        &args.data, args.seed, &dir, &ledger, &wishes, shifts, &batch,
    );
    batch.commit(store)?;
    report.print();
    Ok(dir.doc_id)
}

/// The demo never seeds a community twice.
fn refuse_seeded(storage: &dyn Storage, dir: &Directory) -> anyhow::Result<()> {
    if load_doc(storage, &dir.doc_id)?.is_some() {
        bail!(
            "this data directory already holds the demo community ({}); use a new one",
            dir.doc_id
        );
    }
    Ok(())
}

/// Before the first community: the demo seeds only a data directory without wishes.
fn refuse_wishes(storage: &dyn Storage) -> anyhow::Result<()> {
    if !storage.load_range(&[SUMMARY_PREFIX.to_owned()])?.is_empty() {
        bail!("this data directory already holds wishes; the demo seeds only a new one");
    }
    Ok(())
}

fn batch(dir: &Directory, ledger: &Ledger, wishes: &[DemoWish]) -> anyhow::Result<DocBatch> {
    let mut batch = DocBatch::default();
    batch.add(dir.doc_id, &dir.doc)?;
    for station in &dir.stations {
        batch.add(station.doc_id, &station.doc)?;
    }
    batch.add(ledger.doc_id, &ledger.doc)?;
    for wish in wishes {
        batch.add(wish.doc_id, &wish.doc)?;
        if let Some((id, doc)) = &wish.contact {
            batch.add(*id, doc)?;
        }
    }
    Ok(batch)
}
