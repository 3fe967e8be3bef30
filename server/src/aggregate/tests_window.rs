//! Figures over a date range, the per-community comparison, party participation, ratings
//! per claimant and overdue wishes under an office's own targets.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use wish_client_core::model::wish::WishSummary;

use super::*;
use crate::calendar::{DAY_MS, HOUR_MS};

const T0: u64 = 1_767_196_800_000;

fn wish(id: &str, community: &str, created: u64) -> WishSummary {
    WishSummary {
        id: id.into(),
        community: community.into(),
        station: "s1".into(),
        module: Some("medical".into()),
        status: "published".into(),
        channel: "door_to_door".into(),
        urgency: "normal".into(),
        created_at: created,
        published_at: Some(created + HOUR_MS),
        first_claim_at: None,
        assigned_at: None,
        resolved_at: None,
        closed_at: None,
        close_reason: None,
        claimants: Vec::new(),
        hours: 0.0,
        rating: None,
        title: format!("心愿 {id}"),
    }
}

/// Claimed two hours after publication, resolved a day later, closed with `reason`.
fn done(
    mut s: WishSummary,
    claimants: &[&str],
    hours: f64,
    rating: u8,
    reason: &str,
) -> WishSummary {
    let published = s.published_at.unwrap_or(s.created_at);
    s.status = "closed".into();
    s.first_claim_at = Some(published + 2 * HOUR_MS);
    s.resolved_at = Some(published + 26 * HOUR_MS);
    s.closed_at = Some(published + 30 * HOUR_MS);
    s.close_reason = Some(reason.into());
    s.claimants = claimants.iter().map(|c| c.to_string()).collect();
    s.hours = hours;
    s.rating = Some(rating);
    s
}

fn index(wishes: &[(&str, WishSummary)]) -> OfficeIndex {
    OfficeIndex::from_summaries(
        wishes.iter().map(|(d, w)| ((*d).to_owned(), w.clone())),
        OverdueTargets::default(),
    )
}

fn members(members: &[(&str, &str)]) -> Members {
    let mut by: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (c, p) in members {
        by.entry((*c).to_owned())
            .or_default()
            .insert((*p).to_owned());
    }
    Members::new(by)
}

/// Over a window every figure equals the same figure of an index holding only the
/// wishes created in it.
#[test]
fn a_window_counts_exactly_the_wishes_created_in_it() {
    let early = (
        "d1",
        done(wish("w1", "c1", T0), &["p1"], 2.0, 5, "fulfilled"),
    );
    let inside = [
        (
            "d2",
            done(
                wish("w2", "c1", T0 + 10 * DAY_MS),
                &["p1", "p2"],
                3.0,
                4,
                "fulfilled",
            ),
        ),
        ("d3", wish("w3", "c2", T0 + 12 * DAY_MS)),
    ];
    let late = (
        "d4",
        done(
            wish("w4", "c2", T0 + 20 * DAY_MS),
            &["p3"],
            1.0,
            2,
            "duplicate",
        ),
    );
    let mut all = vec![early.clone(), late.clone()];
    all.extend(inside.iter().cloned());
    let (whole, only) = (index(&all), index(&inside));
    let window = Window::new(Some(T0 + 5 * DAY_MS), Some(T0 + 15 * DAY_MS));
    for set in [
        CommunitySet::all(),
        CommunitySet::of(["c1"]),
        CommunitySet::of(["c1", "c2"]),
    ] {
        assert_eq!(whole.summary_in(&set, window), only.summary(&set));
        assert_eq!(
            whole.durations_in(&set, None, window),
            only.durations(&set, None)
        );
        assert_eq!(whole.satisfaction_in(&set, window), only.satisfaction(&set));
        let paging = Paging::new(None, None);
        assert_eq!(
            whole.volunteers_in(&set, paging, window),
            only.volunteers(&set, paging)
        );
    }
    assert_eq!(whole.summary_in(&CommunitySet::all(), window).total, 2);
    assert_eq!(whole.summary_in(&CommunitySet::all(), Window::ALL).total, 4);
}

#[test]
fn the_comparison_has_one_row_per_community_with_its_figures() {
    let a = index(&[
        (
            "d1",
            done(wish("w1", "c1", T0), &["p1"], 2.0, 5, "fulfilled"),
        ),
        (
            "d2",
            done(wish("w2", "c1", T0 + 1), &["p1", "p2"], 4.0, 3, "duplicate"),
        ),
        ("d3", wish("w3", "c1", T0 + 2)),
        ("d4", wish("w4", "c2", T0 + 3)),
    ]);
    let party = members(&[("c1", "p1")]);
    let now = T0 + 20 * DAY_MS; // past the 14-day target of the open wishes
    let report = a.community_comparison(&CommunitySet::all(), Window::ALL, now, None, &party);
    let rows: BTreeMap<&str, &CommunityRow> = report
        .rows
        .iter()
        .map(|r| (r.community.as_str(), r))
        .collect();
    let c1 = rows["c1"];
    assert_eq!(
        (c1.wishes, c1.claimed, c1.completed, c1.closed_other),
        (3, 2, 1, 1)
    );
    assert_eq!(
        (c1.open_overdue, c1.rated, c1.average_rating),
        (1, 2, Some(4.0))
    );
    assert_eq!(
        (c1.median_hours_to_claim, c1.median_hours_to_resolve),
        (Some(2.0), Some(26.0))
    );
    assert_eq!((c1.volunteers_active, c1.service_hours), (2, 6.0));
    // p1: 2 of 3 claims, 2 + 2 of 6 hours.
    assert_eq!(c1.party_claim_share, Some(0.6667));
    assert_eq!(c1.party_hours_share, Some(0.6667));
    assert_eq!((rows["c2"].wishes, rows["c2"].open_overdue), (1, 1));
    assert_eq!(rows["c2"].party_claim_share, None);
    let c2_only = a.community_comparison(&CommunitySet::of(["c2"]), Window::ALL, now, None, &party);
    assert_eq!(c2_only.rows.len(), 1);
    // An office that allows 30 days sees nothing overdue yet.
    let patient = OverdueTargets::from_hours(&[("normal".to_owned(), 30 * 24)].into());
    let calm = a.community_comparison(
        &CommunitySet::all(),
        Window::ALL,
        now,
        Some(&patient),
        &party,
    );
    assert!(calm.rows.iter().all(|r| r.open_overdue == 0));
}

#[test]
fn participation_and_ratings_add_up_per_community() {
    let a = index(&[
        (
            "d1",
            done(wish("w1", "c1", T0), &["p1"], 2.0, 5, "fulfilled"),
        ),
        (
            "d2",
            done(wish("w2", "c1", T0 + 1), &["p1", "u1"], 4.0, 3, "fulfilled"),
        ),
        // The same id in another community is another person, not a party member there.
        (
            "d3",
            done(wish("w3", "c2", T0 + 2), &["p1"], 1.0, 4, "fulfilled"),
        ),
    ]);
    let party = members(&[("c1", "p1")]);
    let p = a.participation(&CommunitySet::all(), Window::ALL, &party);
    assert_eq!((p.overall.claims, p.overall.party_claims), (4, 2));
    assert_eq!((p.overall.hours, p.overall.party_hours), (7.0, 4.0));
    assert_eq!((p.overall.volunteers, p.overall.party_volunteers), (3, 1));
    assert_eq!(p.overall.claim_share, Some(0.5));
    assert_eq!(p.by_community.len(), 2);
    assert_eq!(p.by_community[1].shares.party_claims, 0);
    let directory = RatingNames {
        party: party.clone(),
        units: members(&[("c1", "u1")]),
        unit_of: Default::default(),
    };
    let page = Paging::new(None, None);
    let r = a.ratings(&CommunitySet::all(), Window::ALL, &directory, page);
    assert_eq!(r.claimants, 3);
    assert_eq!(r.by_unit.len(), 1);
    assert_eq!(
        (r.by_unit[0].claimant.as_str(), r.by_unit[0].kind.as_str()),
        ("u1", "unit")
    );
    let first = Paging::new(None, Some(1));
    let top = a.ratings(&CommunitySet::all(), Window::ALL, &directory, first);
    assert_eq!(top.by_claimant.len(), 1);
    assert_eq!(top.by_claimant[0].claimant, "p1");
    assert_eq!((r.rated, r.average), (3, Some(4.0)));
    let find = |c: &str, id: &str| {
        r.by_claimant
            .iter()
            .find(|x| x.community == c && x.claimant == id)
            .map(|x| (x.rated, x.average, x.party_member))
    };
    assert_eq!(find("c1", "p1"), Some((2, Some(4.0), true)));
    assert_eq!(find("c1", "u1"), Some((1, Some(3.0), false)));
    assert_eq!(find("c2", "p1"), Some((1, Some(4.0), false)));
    let window = Window::new(Some(T0 + 2), None);
    assert_eq!(
        a.ratings(&CommunitySet::all(), window, &directory, page)
            .rated,
        1
    );
}

#[test]
fn an_office_sees_overdue_wishes_under_its_own_targets() {
    let mut urgent = wish("w2", "c1", T0);
    urgent.urgency = "urgent".into();
    let a = index(&[("d1", wish("w1", "c1", T0)), ("d2", urgent)]);
    let query = |targets: Option<OverdueTargets>, from: Option<u64>| OverdueQuery {
        now: T0 + 3 * DAY_MS,
        filter: WishFilter {
            from,
            ..WishFilter::default()
        },
        paging: Paging::new(None, None),
        targets,
    };
    // Defaults: urgent 2 days (overdue), normal 14 days (not yet).
    let defaults = a.overdue(&query(None, None));
    assert_eq!(defaults.total, 1);
    assert_eq!(defaults.items[0].wish.id, "w2");
    let hours: BTreeMap<String, u64> = [("urgent", 100), ("high", 24), ("normal", 48), ("low", 24)]
        .map(|(u, h)| (u.to_owned(), h))
        .into();
    let strict = OverdueTargets::from_hours(&hours);
    assert_eq!(strict.hours_by_urgency(), hours);
    let report = a.overdue(&query(Some(strict.clone()), None));
    assert_eq!(report.total, 1);
    assert_eq!(report.items[0].wish.id, "w1");
    assert!(report
        .targets
        .iter()
        .any(|t| t.urgency == "normal" && t.days == 2.0));
    assert_eq!(a.overdue(&query(Some(strict), Some(T0 + 1))).total, 0);
}

/// Windows of whole months (read from the month buckets), with partial months at their
/// edges (scanned) or open on one side give the figures of exactly the wishes created in
/// them, also after wishes change.
#[test]
fn month_buckets_and_edges_give_the_wishes_of_the_window() {
    let mut wishes: Vec<(String, WishSummary)> = (0..40u64)
        .map(|k| {
            let community = ["c1", "c2", "c3"][(k % 3) as usize];
            let w = wish(
                &format!("w{k}"),
                community,
                T0 + k * 9 * DAY_MS + k * HOUR_MS,
            );
            let w = match k % 4 {
                0 => done(w, &["p1", "p2"], 1.5, 5, "fulfilled"),
                1 => done(w, &["p2"], 2.0, 3, "withdrawn"),
                _ => w,
            };
            (format!("d{k}"), w)
        })
        .collect();
    let mut whole = OfficeIndex::default();
    for (doc, w) in &wishes {
        whole.upsert(doc, w.clone());
    }
    // A change after the index was built moves a wish between counters.
    wishes[2].1 = done(wishes[2].1.clone(), &["p3"], 4.0, 4, "fulfilled");
    whole.upsert("d2", wishes[2].1.clone());
    let date = |text: &str| parse_local_date(text).unwrap_or(0);
    let windows = [
        Window::new(Some(date("2026-02-01")), Some(date("2026-05-01"))),
        Window::new(Some(date("2026-01-15")), Some(date("2026-04-20"))),
        Window::new(None, Some(date("2026-06-10"))),
        Window::new(Some(date("2026-03-03")), None),
    ];
    let party = members(&[("c1", "p1"), ("c2", "p2")]);
    let now = T0 + 400 * DAY_MS;
    for window in windows {
        let inside: Vec<(String, WishSummary)> = wishes
            .iter()
            .filter(|(_, w)| window.contains(w.created_at))
            .cloned()
            .collect();
        assert!(
            !inside.is_empty() && inside.len() < wishes.len(),
            "{window:?}"
        );
        let only = OfficeIndex::from_summaries(inside, OverdueTargets::default());
        for set in [CommunitySet::all(), CommunitySet::of(["c1", "c3"])] {
            assert_eq!(
                whole.summary_in(&set, window),
                only.summary(&set),
                "{window:?}"
            );
            assert_eq!(
                whole.durations_in(&set, None, window),
                only.durations(&set, None)
            );
            assert_eq!(whole.satisfaction_in(&set, window), only.satisfaction(&set));
            let page = Paging::new(None, None);
            assert_eq!(
                whole.volunteers_in(&set, page, window),
                only.volunteers(&set, page)
            );
            let mut a = whole.community_comparison(&set, window, now, None, &party);
            let b = only.community_comparison(&set, Window::ALL, now, None, &party);
            (a.from, a.to) = (None, None);
            assert_eq!(a, b, "{window:?}");
            let p = whole.participation(&set, window, &party).overall;
            assert_eq!(p, only.participation(&set, Window::ALL, &party).overall);
        }
    }
}

#[test]
fn a_units_ratings_include_the_people_registered_under_it() {
    let a = index(&[
        (
            "d1",
            done(wish("w1", "c1", T0), &["u1"], 1.0, 3, "fulfilled"),
        ),
        (
            "d2",
            done(wish("w2", "c1", T0 + 1), &["p2"], 1.0, 5, "fulfilled"),
        ),
        // Not registered under any unit.
        (
            "d3",
            done(wish("w3", "c1", T0 + 2), &["p3"], 1.0, 1, "fulfilled"),
        ),
        // The same id in another community is another person, of no unit there.
        (
            "d4",
            done(wish("w4", "c2", T0 + 3), &["p2"], 1.0, 1, "fulfilled"),
        ),
        // A unit that never claimed itself, through its person.
        (
            "d5",
            done(wish("w5", "c1", T0 + 4), &["p4"], 1.0, 4, "fulfilled"),
        ),
    ]);
    let unit_of = [("p2", "u1"), ("p4", "u2")]
        .map(|(p, u)| (p.to_owned(), u.to_owned()))
        .into();
    let directory = RatingNames {
        party: members(&[]),
        units: members(&[("c1", "u1"), ("c1", "u2")]),
        unit_of: UnitMembers::new([("c1".to_owned(), unit_of)].into()),
    };
    let r = a.ratings(
        &CommunitySet::all(),
        Window::ALL,
        &directory,
        Paging::new(None, None),
    );
    let units: Vec<_> = r
        .by_unit
        .iter()
        .map(|u| (u.claimant.as_str(), u.kind.as_str(), u.rated, u.average))
        .collect();
    assert_eq!(
        units,
        [("u1", "unit", 2, Some(4.0)), ("u2", "unit", 1, Some(4.0))]
    );
    let p2 = r
        .by_claimant
        .iter()
        .find(|c| c.claimant == "p2" && c.community == "c1");
    assert_eq!(
        p2.map(|c| c.kind.as_str()),
        Some("person"),
        "people stay listed as themselves"
    );
}
