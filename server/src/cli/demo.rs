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

use self::directory::Directory;
use self::gen::Gen;
use self::ledger::Ledger;
use self::report::Report;
use self::wishes::DemoWish;
use super::doc_writer::{load_doc, open_offline_store, DocBatch};
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
    Ok(())
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
