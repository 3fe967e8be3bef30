use wish_client_core::model::wish::WishSummary;

use super::*;
use crate::calendar::{DAY_MS, HOUR_MS};

pub(crate) const T0: u64 = 1_767_196_800_000;

pub(crate) fn wish(id: &str, community: &str, station: &str, created: u64) -> WishSummary {
    WishSummary {
        id: id.into(),
        community: community.into(),
        station: station.into(),
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

fn resolved(mut s: WishSummary, claimants: &[&str], hours: f64, rating: Option<u8>) -> WishSummary {
    let published = s.published_at.unwrap_or(s.created_at);
    s.status = if rating.is_some() {
        "rated"
    } else {
        "resolved"
    }
    .into();
    s.first_claim_at = Some(published + 2 * HOUR_MS);
    s.assigned_at = Some(published + 2 * HOUR_MS);
    s.resolved_at = Some(published + 26 * HOUR_MS);
    s.claimants = claimants.iter().map(|c| c.to_string()).collect();
    s.hours = hours;
    s.rating = rating;
    s
}

#[test]
fn an_update_moves_a_wish_between_counters() {
    let mut a = OfficeIndex::default();
    a.upsert("doc1", wish("w1", "c1", "s1", T0));
    a.upsert("doc2", wish("w2", "c1", "s2", T0 + 1));
    a.upsert(
        "doc1",
        resolved(wish("w1", "c1", "s1", T0), &["p1"], 2.0, Some(4)),
    );
    let s = a.summary(&CommunitySet::all());
    assert_eq!(s.total, 2);
    assert_eq!(s.by_status["published"], 1);
    assert_eq!(s.by_status["rated"], 1);
    assert_eq!(s.by_status["claimed"], 0);
    assert_eq!(s.hours, 2.0);
    assert_eq!(a.len(), 2);
    let sat = a.satisfaction(&CommunitySet::of(["c1"]));
    assert_eq!((sat.rated, sat.average), (1, Some(4.0)));
    assert_eq!(sat.by_module["medical"].rated, 1);
    let d = a.durations(&CommunitySet::all(), Some("medical"));
    assert_eq!(d.time_to_claim.p50_hours, Some(2.0));
    assert_eq!(d.time_to_resolve.p50_hours, Some(26.0));
}

#[test]
fn the_list_is_newest_first_filtered_and_paged() {
    let mut a = OfficeIndex::default();
    for i in 0..30u64 {
        let station = if i % 3 == 0 { "s0" } else { "s1" };
        a.upsert(
            &format!("doc{i}"),
            wish(&format!("w{i}"), "c1", station, T0 + i * DAY_MS),
        );
    }
    let filter = WishFilter {
        stations: vec!["s0".into()],
        ..WishFilter::default()
    };
    let page = a.list(&filter, Paging::new(Some(2), Some(4)));
    assert_eq!((page.total, page.pages), (10, 3));
    let ids: Vec<&str> = page.items.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["w15", "w12", "w9", "w6"]);
    let window = WishFilter {
        from: Some(T0 + 10 * DAY_MS),
        to: Some(T0 + 20 * DAY_MS),
        ..WishFilter::default()
    };
    let page = a.list(&window, Paging::new(None, None));
    assert_eq!(page.total, 10);
    assert_eq!(page.items[0].id, "w19");
    assert_eq!(a.select(&filter).len(), 10);
    let nothing = WishFilter {
        statuses: vec!["no-such-status".into()],
        ..WishFilter::default()
    };
    assert_eq!(a.list(&nothing, Paging::new(None, None)).total, 0);
}

#[test]
fn overdue_follows_targets_by_urgency_and_module() {
    let targets = OverdueTargets::default().with(Some("law"), "urgent", 1.0);
    let mut a = OfficeIndex::new(targets);
    let mut urgent_law = wish("w1", "c1", "s1", T0);
    urgent_law.urgency = "urgent".into();
    urgent_law.module = Some("law".into());
    let mut urgent = wish("w2", "c1", "s1", T0);
    urgent.urgency = "urgent".into();
    a.upsert("d1", urgent_law);
    a.upsert("d2", urgent);
    a.upsert("d3", wish("w3", "c1", "s1", T0));
    let query = |days: u64| OverdueQuery {
        now: T0 + HOUR_MS + days * DAY_MS + 1,
        filter: WishFilter::default(),
        paging: Paging::new(None, None),
        targets: None,
    };
    assert_eq!(a.overdue(&query(1)).total, 1);
    let two = a.overdue(&query(2));
    assert_eq!(two.total, 2);
    assert_eq!(two.items[0].wish.id, "w1");
    assert_eq!(two.by_urgency["urgent"], 2);
    assert_eq!(a.overdue(&query(14)).total, 3);
    a.upsert(
        "d3",
        resolved(wish("w3", "c1", "s1", T0), &["p"], 1.0, None),
    );
    assert_eq!(a.overdue(&query(14)).total, 2);
}

#[test]
fn volunteers_share_hours_and_rank_by_them() {
    let mut a = OfficeIndex::default();
    a.upsert(
        "d1",
        resolved(wish("w1", "c1", "s", T0), &["p1", "p2"], 3.0, None),
    );
    a.upsert(
        "d2",
        resolved(wish("w2", "c1", "s", T0), &["p2"], 1.0, None),
    );
    let v = a.volunteers(&CommunitySet::all(), Paging::new(None, None));
    assert_eq!(v.claimants, 2);
    assert_eq!(v.total_hours, 4.0);
    assert_eq!(v.leaderboard[0].claimant, "p2");
    assert_eq!(v.leaderboard[0].hours, 2.5);
    assert_eq!(v.leaderboard[0].wishes, 2);
    assert_eq!(v.leaderboard[1].hours, 1.5);
}

#[test]
fn communities_are_separate_scopes() {
    let mut a = OfficeIndex::default();
    a.upsert("d1", wish("w1", "c1", "center", T0));
    a.upsert("d2", wish("w2", "c2", "center", T0));
    assert_eq!(a.summary(&CommunitySet::of(["c1"])).total, 1);
    assert_eq!(a.summary(&CommunitySet::of(["c9"])).total, 0);
    let all = a.summary(&CommunitySet::all());
    assert_eq!(
        all.by_station.len(),
        2,
        "same station id in two communities"
    );
    let scoped = WishFilter {
        community: CommunitySet::of(["c2"]),
        ..WishFilter::default()
    };
    let page = a.list(&scoped, Paging::new(None, None));
    assert_eq!((page.total, page.items[0].id.as_str()), (1, "w2"));
}

#[test]
fn synthetic_indexes_are_deterministic_and_consistent() {
    let a = OfficeIndex::synthetic(5_000, 7);
    let b = OfficeIndex::synthetic(5_000, 7);
    assert_eq!(
        a.summary(&CommunitySet::all()),
        b.summary(&CommunitySet::all())
    );
    let s = a.summary(&CommunitySet::all());
    assert_eq!(s.total, 5_000);
    assert_eq!(s.by_status.values().sum::<u64>(), 5_000);
    for (status, count) in &s.by_status {
        let filter = WishFilter {
            statuses: vec![status.clone()],
            ..WishFilter::default()
        };
        assert_eq!(
            a.list(&filter, Paging::new(None, Some(1))).total as u64,
            *count
        );
    }
    let weeks: u64 = s.by_week.iter().map(|w| w.created).sum();
    assert_eq!(weeks, 5_000);
    assert!(
        a.durations(&CommunitySet::all(), None)
            .time_to_resolve
            .count
            > 0
    );
    assert!(a.heap_bytes() > 5_000 * 150);
}

#[test]
fn incremental_and_bulk_builds_agree() {
    let bulk = OfficeIndex::synthetic(2_000, 3);
    let rows = bulk.select(&WishFilter::default());
    let items = bulk.items(&rows);
    let mut incremental = OfficeIndex::default();
    for item in items.iter().rev() {
        incremental.upsert(&item.doc_id, summary_of(item));
    }
    assert_eq!(
        bulk.summary(&CommunitySet::all()),
        incremental.summary(&CommunitySet::all())
    );
    assert_eq!(
        bulk.durations(&CommunitySet::all(), None),
        incremental.durations(&CommunitySet::all(), None)
    );
    let page = Paging::new(Some(3), Some(25));
    let f = WishFilter::default();
    assert_eq!(bulk.list(&f, page).total, incremental.list(&f, page).total);
}

fn summary_of(w: &WishItem) -> WishSummary {
    WishSummary {
        id: w.id.clone(),
        community: w.community.clone(),
        station: w.station.clone(),
        module: w.module.clone(),
        status: w.status.clone(),
        channel: w.channel.clone(),
        urgency: w.urgency.clone(),
        created_at: w.created_at,
        published_at: w.published_at,
        first_claim_at: w.first_claim_at,
        assigned_at: w.assigned_at,
        resolved_at: w.resolved_at,
        closed_at: w.closed_at,
        close_reason: w.close_reason.clone(),
        claimants: w.claimants.clone(),
        hours: w.hours,
        rating: w.rating,
        title: w.title.clone(),
    }
}

/// A 街道's figures over several communities are the sum of each community's, and
/// equal the global ones once the set holds every community.
#[test]
fn figures_of_a_set_of_communities_add_up_their_communities() {
    let mut a = OfficeIndex::default();
    a.upsert(
        "d1",
        resolved(wish("w1", "c1", "s1", T0), &["p1"], 2.0, Some(5)),
    );
    a.upsert(
        "d2",
        resolved(wish("w2", "c2", "s1", T0 + 1), &["p1", "p2"], 3.0, Some(3)),
    );
    a.upsert("d3", wish("w3", "c3", "s1", T0 + 2));
    let street = CommunitySet::of(["c1", "c2"]);
    let s = a.summary(&street);
    assert_eq!(s.total, 2);
    assert_eq!(s.hours, 5.0);
    assert_eq!(s.by_community.len(), 2);
    assert_eq!(s.by_status["rated"], 2);
    let sat = a.satisfaction(&street);
    assert_eq!((sat.rated, sat.average), (2, Some(4.0)));
    assert_eq!(a.durations(&street, None).time_to_claim.count, 2);
    let v = a.volunteers(&street, Paging::new(None, None));
    assert_eq!(v.claimants, 2);
    assert_eq!(v.leaderboard[0].claimant, "p1");
    assert_eq!(v.leaderboard[0].hours, 3.5);
    let filter = WishFilter {
        community: street,
        ..WishFilter::default()
    };
    assert_eq!(a.list(&filter, Paging::new(None, None)).total, 2);
    let every = CommunitySet::of(["c1", "c2", "c3", "c9"]);
    assert_eq!(a.summary(&every), a.summary(&CommunitySet::all()));
    assert_eq!(a.summary(&CommunitySet::of(["c9"])).total, 0);
}
