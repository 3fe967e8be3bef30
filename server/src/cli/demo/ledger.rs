//! The community's points ledger: earn entries for confirmed resolutions (written as the
//! wishes are confirmed), then a few awards and redemptions.

use automerge::Automerge;
use wish_client_core::model::ledger::{account, LedgerEntry};
use wish_client_core::model::{CommunityView, LedgerView};
use wish_client_core::ops::ledger::{self as ops, Award, Redeem};
use wish_client_core::proto::DocumentId;

use super::data::{AWARDS, CATALOGUE, REDEMPTIONS};
use super::gen::{Gen, DAY_MS};

/// The ledger document being built, with counts for the report.
pub struct Ledger {
    pub doc_id: DocumentId,
    pub doc: Automerge,
    pub earns: usize,
    pub awards: usize,
    pub redemptions: usize,
}

impl Ledger {
    pub fn create(g: &mut Gen, community_doc: DocumentId) -> anyhow::Result<Self> {
        let doc_id = g.doc_id();
        let mut doc = g.new_doc();
        ops::create_ledger(
            &mut doc,
            &community_doc.to_string(),
            g.now_ms - 100 * DAY_MS,
        )?;
        Ok(Self {
            doc_id,
            doc,
            earns: 0,
            awards: 0,
            redemptions: 0,
        })
    }

    /// Writes the earn entry of a confirmed resolution.
    pub fn record_earn(&mut self, entry: &LedgerEntry) -> anyhow::Result<()> {
        if ops::record_earn(&mut self.doc, entry)? {
            self.earns += 1;
        }
        Ok(())
    }

    /// Awards from the community (感动社区), then redemptions that the balances allow.
    pub fn awards_and_redemptions(
        &mut self,
        g: &mut Gen,
        community: &CommunityView,
    ) -> anyhow::Result<()> {
        let coordinator = "p01";
        for (person, points, reason) in AWARDS {
            let award = Award {
                id: g.id(),
                person: (*person).into(),
                points: *points,
                hours: 0.0,
                reason: (*reason).into(),
                by: coordinator.into(),
            };
            ops::award(&mut self.doc, &award, g.now_ms - g.int(5, 9) * DAY_MS)?;
            self.awards += 1;
        }
        for (person, item) in REDEMPTIONS {
            if !self.can_afford(person, item)? {
                continue;
            }
            let redeem = Redeem {
                id: g.id(),
                person: (*person).into(),
                item: (*item).into(),
                by: coordinator.into(),
            };
            ops::redeem(
                &mut self.doc,
                community,
                &redeem,
                g.now_ms - g.int(1, 4) * DAY_MS,
            )?;
            self.redemptions += 1;
        }
        Ok(())
    }

    fn can_afford(&self, person: &str, item: &str) -> anyhow::Result<bool> {
        let price = CATALOGUE
            .iter()
            .find(|(id, _, _)| *id == item)
            .map_or(i64::MAX, |(_, _, points)| *points);
        let balance = LedgerView::read(&self.doc)?.balance(&account::person(person));
        Ok(balance >= price)
    }
}
