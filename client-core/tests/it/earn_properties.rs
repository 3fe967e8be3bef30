//! Property tests of earn entries and statements (issue 14): whoever writes a confirmed
//! claim's earn entry — either of two coordinators confirming offline, each holding the
//! ledger or not, and the server repairing a ledger that lacks it, racing them — and in
//! whatever order the replicas merge, the ledger holds exactly one earn entry per
//! confirmed claim, every replica derives the same balances, and each person's statement
//! sums to their balance and hours.

use crate::domain_common as common;

use automerge::Automerge;
use common::{fork, merge, published, st};
use proptest::collection::vec;
use proptest::prelude::*;
use wish_client_core::model::ledger::{account, earn_id};
use wish_client_core::model::{ClaimKind, LedgerKind, LedgerView, WishView};
use wish_client_core::ops::ledger::{self, Award};
use wish_client_core::ops::wish;

const CLAIMANTS: [&str; 3] = ["vol-a", "vol-b", "vol-c"];
const COORDINATORS: [&str; 2] = ["coord-1", "coord-2"];

/// What one coordinator does for one claim while offline.
#[derive(Debug, Clone, Copy)]
struct Confirmation {
    claim: usize,
    coordinator: usize,
    /// The coordinator's tablet holds the ledger (else it writes no earn entry).
    holds_ledger: bool,
    at: u64,
}

fn confirmation() -> impl Strategy<Value = Confirmation> {
    (0..3usize, 0..2usize, any::<bool>(), 10_000..20_000u64).prop_map(
        |(claim, coordinator, holds_ledger, at)| Confirmation {
            claim,
            coordinator,
            holds_ledger,
            at,
        },
    )
}

/// Three claims assigned and resolved with the given hours.
fn resolved_wish(hours: &[f64]) -> Automerge {
    let mut doc = published(3);
    for (i, who) in CLAIMANTS.iter().enumerate() {
        let id = format!("c{i}");
        wish::claim(
            &mut doc,
            st(&id, who, 4_000 + i as u64),
            ClaimKind::Person,
            who,
            None,
        )
        .expect("claim");
        wish::assign(&mut doc, &id, "server", true, 5_000).expect("assign");
    }
    for (i, who) in CLAIMANTS.iter().enumerate() {
        let id = format!("c{i}");
        let ev = format!("ev-res-{i}");
        wish::resolve(&mut doc, st(&ev, who, 6_000), &id, hours[i], Some("修好了"))
            .expect("resolve");
    }
    doc
}

fn new_ledger() -> Automerge {
    let mut doc = Automerge::new();
    ledger::create_ledger(&mut doc, "community-1", 1).expect("ledger");
    doc
}

/// A coordinator confirms offline on their own replicas of the wish and the ledger.
fn confirm(wish_doc: &mut Automerge, ledger_doc: &mut Automerge, c: Confirmation, n: usize) {
    let by = COORDINATORS[c.coordinator];
    let ev = format!("ev-conf-{n}");
    // Refused when this replica already holds a confirmation of the claim: fine.
    if let Ok(entry) = wish::confirm(wish_doc, st(&ev, by, c.at), &format!("c{}", c.claim)) {
        if c.holds_ledger {
            ledger::record_earn(ledger_doc, &entry).expect("record earn");
        }
    }
}

/// The server's repair: the earn entries the wish implies, written where missing.
fn repair(wish_doc: &Automerge, ledger_doc: &mut Automerge) {
    let view = WishView::read(wish_doc).expect("wish");
    for entry in wish::confirmed_earn_entries(&view) {
        ledger::record_earn(ledger_doc, &entry).expect("repair");
    }
}

fn merged(base: &Automerge, replicas: &[Automerge], order: &[usize]) -> Automerge {
    let mut out = base.clone();
    for i in order {
        merge(&mut out, &replicas[*i % replicas.len()]);
    }
    for replica in replicas {
        merge(&mut out, replica);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn earn_entries_exactly_once_per_confirmed_claim(
        hours in vec(0.0..8.0f64, 3),
        confirmations in vec(confirmation(), 1..6),
        server_sees in vec(any::<bool>(), 6),
        awards in vec((0..3usize, 1..20i64), 0..4),
        order in vec(0..16usize, 0..12),
        order2 in vec(0..16usize, 0..12),
    ) {
        let wish_base = resolved_wish(&hours);
        let ledger_base = new_ledger();
        let mut wishes = Vec::new();
        let mut ledgers = Vec::new();
        for (n, c) in confirmations.iter().enumerate() {
            let mut w = fork(&wish_base, n as u8);
            let mut l = fork(&ledger_base, n as u8);
            confirm(&mut w, &mut l, *c, n);
            wishes.push(w);
            ledgers.push(l);
        }
        // The server has received some of the confirmations when it repairs, racing the
        // coordinators' own entries.
        let mut server_wish = wish_base.clone();
        for (w, seen) in wishes.iter().zip(&server_sees) {
            if *seen { merge(&mut server_wish, w); }
        }
        let mut server_ledger = fork(&ledger_base, 100);
        for (i, (who, points)) in awards.iter().enumerate() {
            let award = Award { id: format!("award-{i}"), person: CLAIMANTS[*who].into(), points: *points, hours: 0.0, reason: "表彰".into(), by: "coord-1".into() };
            ledger::award(&mut server_ledger, &award, 30_000 + i as u64).expect("award");
        }
        repair(&server_wish, &mut server_ledger);
        ledgers.push(server_ledger);
        // Later every confirmation reaches the server, which repairs again.
        let all_wishes = merged(&wish_base, &wishes, &order);
        let mut late = fork(&ledger_base, 101);
        repair(&all_wishes, &mut late);
        ledgers.push(late);

        let one = LedgerView::read(&merged(&ledger_base, &ledgers, &order)).expect("ledger");
        let two = LedgerView::read(&merged(&ledger_base, &ledgers, &order2)).expect("ledger");
        prop_assert_eq!(&one, &two);
        let view = WishView::read(&all_wishes).expect("wish");
        for (i, who) in CLAIMANTS.iter().enumerate() {
            let claim = format!("c{i}");
            let earns: Vec<_> = one.entries.values().filter(|e| e.kind == LedgerKind::Earn && e.claim.as_deref() == Some(claim.as_str())).collect();
            let expected = usize::from(view.is_confirmed(&claim));
            prop_assert_eq!(earns.len(), expected, "claim {}", claim);
            if expected == 1 {
                prop_assert_eq!(&earns[0].id, &earn_id("wish-1", &claim));
            }
            let statement = one.statement(&account::person(who));
            prop_assert_eq!(statement.points, one.balance(&account::person(who)));
            prop_assert!((statement.hours - one.hours(who)).abs() < 1e-9);
            let summed: i64 = statement.lines.iter().map(|l| l.points).sum();
            prop_assert_eq!(summed, statement.points);
            prop_assert_eq!(statement.lines.last().map_or(0, |l| l.balance), statement.points);
        }
        prop_assert_eq!(one.balances().values().sum::<i64>(), 0);
    }
}
