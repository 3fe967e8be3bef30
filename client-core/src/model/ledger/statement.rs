//! A person's statement (积分明细) and the public star board (星级公示), derived from the
//! ledger's entries like every balance.

use serde::Serialize;

use super::{star_level, LedgerEntry, LedgerView};
use crate::model::{CommunityView, LedgerKind};

/// One line of an account's statement: an entry that posts to the account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementLine {
    pub entry: String,
    pub kind: LedgerKind,
    pub at: u64,
    /// Who recorded it (a person id).
    pub by: String,
    /// Why: the award's reason, the redeemed item's name, `confirmed resolution`; for a
    /// reversal, the reversed entry's reason.
    pub reason: String,
    pub wish: Option<String>,
    pub item: Option<String>,
    /// This entry's points and hours on the account.
    pub points: i64,
    pub hours: f64,
    /// The account's balance after this line, in `(at, id)` order.
    pub balance: i64,
    /// The entry reversing this one, if any.
    pub reversed_by: Option<String>,
    /// For a reversal: the kind of the entry it negates.
    pub reverses: Option<LedgerKind>,
}

/// An account's statement: its lines oldest first, and the totals, which are the sums
/// of the lines (and equal [`LedgerView::balance`] and [`LedgerView::hours`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub account: String,
    pub lines: Vec<StatementLine>,
    pub points: i64,
    pub hours: f64,
}

/// One volunteer on the star board: name, confirmed hours and stars, nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarRow {
    pub person: String,
    pub name: String,
    pub hours: f64,
    pub stars: u8,
}

impl LedgerView {
    /// The statement of `account` (`person:<id>`, `unit:<id>`).
    pub fn statement(&self, account: &str) -> Statement {
        let mut lines = Vec::new();
        let (mut points, mut hours) = (0, 0.0);
        for entry in self.ordered_entries() {
            let mine = entry.postings.iter().filter(|p| p.account == account);
            let (p, h) = mine.fold((0, 0.0), |(p, h), x| (p + x.points, h + x.hours));
            if !entry.postings.iter().any(|x| x.account == account) {
                continue;
            }
            points += p;
            hours += h;
            lines.push(self.line(entry, p, h, points));
        }
        Statement {
            account: account.to_owned(),
            lines,
            points,
            hours,
        }
    }

    fn line(&self, entry: &LedgerEntry, points: i64, hours: f64, balance: i64) -> StatementLine {
        let reversed = (entry.kind == LedgerKind::Reversal)
            .then(|| self.entries.get(&entry.reason))
            .flatten();
        StatementLine {
            entry: entry.id.clone(),
            kind: entry.kind,
            at: entry.at,
            by: entry.by.clone(),
            reason: reversed.map_or_else(|| entry.reason.clone(), |r| r.reason.clone()),
            wish: entry
                .wish
                .clone()
                .or_else(|| reversed.and_then(|r| r.wish.clone())),
            item: entry
                .item
                .clone()
                .or_else(|| reversed.and_then(|r| r.item.clone())),
            points,
            hours,
            balance,
            reversed_by: self.reversal_of(&entry.id).map(|r| r.id.clone()),
            reverses: reversed.map(|r| r.kind),
        }
    }

    /// The public star board: every person of the directory with confirmed hours, by
    /// stars, then hours (most first), then name. People who left are kept: their
    /// service still counts.
    pub fn star_board(&self, community: &CommunityView) -> Vec<StarRow> {
        let mut rows: Vec<StarRow> = community
            .people
            .values()
            .map(|p| {
                let hours = self.hours(&p.id);
                StarRow {
                    person: p.id.clone(),
                    name: p.name.clone(),
                    hours,
                    stars: star_level(hours, &community.star_thresholds),
                }
            })
            .filter(|r| r.hours > 0.0)
            .collect();
        rows.sort_by(|a, b| {
            b.stars
                .cmp(&a.stars)
                .then(b.hours.total_cmp(&a.hours))
                .then(a.name.cmp(&b.name))
        });
        rows
    }
}
