//! What the demo prints: where to find the documents and what was written.

use std::collections::BTreeMap;
use std::path::Path;

use wish_client_core::model::{StationView, WishStatus, WishView};

use super::directory::Directory;
use super::ledger::Ledger;
use super::wishes::DemoWish;
use crate::cli::doc_writer::DocBatch;

/// The demo's summary, gathered before the commit and printed after it.
pub struct Report {
    lines: Vec<String>,
}

impl Report {
    pub fn new(
        data: &Path,
        seed: u64,
        dir: &Directory,
        ledger: &Ledger,
        wishes: &[DemoWish],
        shifts: usize,
        batch: &DocBatch,
    ) -> Self {
        let mut lines = vec![format!(
            "seeded {} with the demo community (seed {seed})",
            data.display()
        )];
        lines.extend(documents(dir, ledger));
        lines.extend(counts(dir, wishes, shifts, batch));
        lines.push("wishes by status:".to_owned());
        for (status, count) in by_status(wishes) {
            lines.push(format!(
                "  {:<12} {:<4} {count:>4}",
                status.as_str(),
                status.label_zh()
            ));
        }
        lines.push(format!(
            "next: wish-station serve --data {} (it prints where its bootstrap token is \
             stored), then open the community document in a client",
            data.display()
        ));
        Self { lines }
    }

    #[allow(clippy::print_stdout)] // the command's report
    pub fn print(&self) {
        for line in &self.lines {
            println!("{line}");
        }
    }
}

/// Where the community, ledger and station documents are.
fn documents(dir: &Directory, ledger: &Ledger) -> Vec<String> {
    let v = &dir.view;
    let mut lines = vec![
        format!(
            "community: {}  {} ({})",
            dir.doc_id.url(),
            v.name,
            v.district
        ),
        format!(
            "ledger: {}  ({} earn, {} award, {} redeem entries)",
            ledger.doc_id.url(),
            ledger.earns,
            ledger.awards,
            ledger.redemptions
        ),
        "stations:".to_owned(),
    ];
    lines.extend(dir.stations.iter().map(|s| {
        let (wishes, shifts) =
            StationView::read(&s.doc).map_or((0, 0), |view| (view.wishes.len(), view.shifts.len()));
        format!(
            "  {:<8} {}  {}  ({} {wishes} wishes, {shifts} shifts)",
            s.data.id,
            s.doc_id.url(),
            s.name,
            s.data.kind.label_zh()
        )
    }));
    lines
}

/// What was written.
fn counts(dir: &Directory, wishes: &[DemoWish], shifts: usize, batch: &DocBatch) -> Vec<String> {
    let contacts = wishes.iter().filter(|w| w.contact.is_some()).count();
    let v = &dir.view;
    vec![
        format!(
            "documents written: {} (1 community, {} stations, 1 ledger, {} wishes, \
             {contacts} contacts)",
            batch.documents,
            dir.stations.len(),
            batch.wishes
        ),
        format!(
            "directory: {} people, {} partner units, {} offers, {} projects, {} catalogue \
             items, {shifts} roster shifts",
            v.people.len(),
            v.units.len(),
            v.offers.len(),
            v.projects.len(),
            v.catalogue.len()
        ),
    ]
}

fn by_status(wishes: &[DemoWish]) -> BTreeMap<WishStatus, usize> {
    let mut counts = BTreeMap::new();
    for wish in wishes {
        if let Ok(view) = WishView::read(&wish.doc) {
            *counts.entry(view.status()).or_default() += 1;
        }
    }
    counts
}
