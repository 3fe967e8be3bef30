//! `wish-station demo`: seeds an empty data directory with a living community in Chinese
//! (幸福社区, 南山区): four stations with a week of duty roster, about thirty volunteers,
//! members and experts, six partner units, the resources and projects lists, a redemption
//! catalogue, a points ledger, and (by default) 400 wishes over the past twelve weeks in
//! every status, module and channel, each with its contact document.
//!
//! Every document is written with the validated operations of `wish_client_core::ops`
//! and stored in one transaction. The same `--seed` on the same day gives the same
//! documents and ids (times count back from the start of today, UTC+8).

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
    /// How many wishes to create (15 or more shows every status).
    #[arg(long, default_value_t = 400)]
    wishes: usize,
    /// Seed of the random choices; the same seed gives the same documents on one day.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    seed(&args).map(|_| ())
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
        seed: 1,
    };
    let community = seed(&args)?;
    demo_codes(data, &community)
}

fn demo_codes(data: &std::path::Path, community: &DocumentId) -> anyhow::Result<()> {
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
        let (code, _) = directory.create_enrollment(request, crate::runtime::now_ms())?;
        super::device::print_line(&format!("demo enrollment code for {who}: {code}"));
    }
    super::device::print_line(
        "open the server's address in a browser and enter one of these codes (valid 7 days)",
    );
    Ok(())
}

/// Seeds the demo community; returns its document id.
fn seed(args: &DemoArgs) -> anyhow::Result<DocumentId> {
    let store = open_offline_store(&args.data)?;
    let today = date::local_day(crate::runtime::now_ms());
    let mut g = Gen::new(args.seed, date::local_ms(today, 0));
    let mut dir = directory::build(&mut g)?;
    refuse_seeded(store.as_ref(), &dir)?;
    let mut shifts = 0;
    for station in &mut dir.stations {
        shifts += roster::build(&mut g, station)?;
    }
    let mut ledger = Ledger::create(&mut g, dir.doc_id)?;
    let wishes = wishes::build_all(&mut g, &mut dir, &mut ledger, args.wishes)?;
    ledger.awards_and_redemptions(&mut g, &dir.view)?;
    let batch = batch(&dir, &ledger, &wishes)?;
    let report = Report::new(
        &args.data, args.seed, &dir, &ledger, &wishes, shifts, &batch,
    );
    batch.commit(store.as_ref())?;
    report.print();
    Ok(dir.doc_id)
}

/// The demo seeds only a data directory without wishes (and never twice).
fn refuse_seeded(storage: &dyn Storage, dir: &Directory) -> anyhow::Result<()> {
    if load_doc(storage, &dir.doc_id)?.is_some() {
        bail!(
            "this data directory already holds the demo community ({}); use a new one",
            dir.doc_id
        );
    }
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
