//! The cost of the write rules per change, in parts: applying a claim to a published wish
//! without and with the patch log, reading the wish (`WishView::read`, for scale) and
//! checking the change (`rules::check`).
//! Run: `cargo bench -p wish-server --bench write_rules`.

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, PatchLog};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use wish_client_core::model::{Channel, ClaimKind, Module, Urgency, WishView};
use wish_client_core::ops::wish::{self, CollectWish};
use wish_client_core::ops::Stamp;
use wish_server::access::{DocMeta, Principal, Role};
use wish_server::rules::{check, ChangeUnderReview};

fn published_wish(events: usize) -> Automerge {
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    let input = CollectWish {
        wish_id: "w1".into(),
        wish_doc: "wish-doc".into(),
        community: "c1".into(),
        station: "s1".into(),
        title: "帮忙安装路由器".into(),
        text: "家里的路由器坏了，想请人帮忙装一个新的".into(),
        suggested_module: Some(Module::Comprehensive),
        channel: Channel::DoorToDoor,
        compound: "幸福小区".into(),
        building: "3栋".into(),
        urgency: Urgency::Normal,
        capacity: 2,
        on_behalf: false,
        collected_by: "p0".into(),
        device: "d0".into(),
        event_id: "ev-collected".into(),
        now_ms: 1_000,
        contact: None,
    };
    wish::collect_wish(&mut doc, &mut contact, input).expect("collect");
    let stamp = |id| Stamp {
        id,
        by: "p1",
        device: "d1",
        now_ms: 2_000,
    };
    wish::verify(&mut doc, stamp("ev-v")).expect("verify");
    wish::publish(&mut doc, stamp("ev-p")).expect("publish");
    for n in 0..events {
        // Leaked: a handful of short strings, once per bench run.
        let id: &'static str = Box::leak(format!("note-{n}").into_boxed_str());
        wish::triage(&mut doc, stamp(id), Module::Comprehensive).expect("triage");
    }
    doc
}

fn claimant() -> Principal {
    Principal {
        device_id: "d9".into(),
        role: Role::Volunteer,
        person: "p9".into(),
        community: Some("c1".into()),
        stations: ["s2".to_owned()].into_iter().collect(),
        covers: Default::default(),
    }
}

/// The sync message a claimant's tablet sends: its claim, as the server receives it.
fn claim_message(base: &Automerge) -> sync::Message {
    let mut tablet = base.fork();
    let who = claimant();
    let stamp = Stamp {
        id: "c1",
        by: &who.person,
        device: &who.device_id,
        now_ms: 3_000,
    };
    wish::claim(&mut tablet, stamp, ClaimKind::Person, "p9", None).expect("claim");
    let (mut server_state, mut tablet_state) = (sync::State::new(), sync::State::new());
    let server = base.fork();
    // One round so the tablet knows what the server has, then the message with the change.
    if let Some(m) = server.generate_sync_message(&mut server_state) {
        tablet
            .receive_sync_message(&mut tablet_state, m)
            .expect("receive");
    }
    tablet
        .generate_sync_message(&mut tablet_state)
        .expect("a message")
}

/// Applies the message to a fork of `base`, with or without a patch log.
fn apply(
    base: &Automerge,
    message: &sync::Message,
    log: bool,
) -> (Automerge, Vec<automerge::Patch>) {
    let mut doc = base.fork();
    let mut state = sync::State::new();
    let mut patch_log = PatchLog::new(log);
    doc.receive_sync_message_log_patches(&mut state, message.clone(), &mut patch_log)
        .expect("apply");
    let patches = doc.make_patches(&mut patch_log);
    (doc, patches)
}

fn bench(c: &mut Criterion) {
    for events in [3, 50] {
        let base = published_wish(events);
        let message = claim_message(&base);
        let writer = claimant();
        let before = base.get_heads();
        c.bench_function(&format!("apply claim ({events} events)"), |b| {
            b.iter(|| black_box(apply(&base, &message, false).0.get_heads()))
        });
        c.bench_function(
            &format!("apply claim with patch log ({events} events)"),
            |b| b.iter(|| black_box(apply(&base, &message, true).1.len())),
        );
        let (after, patches) = apply(&base, &message, true);
        // For scale: the engine already reads the wish this way for its access facts, the
        // arbitration and the summary row.
        c.bench_function(&format!("WishView::read ({events} events)"), |b| {
            b.iter(|| black_box(WishView::read(&after).expect("a wish")))
        });
        let (meta, read) = DocMeta::read(&after);
        let (wish, root) = read.unzip();
        c.bench_function(
            &format!("rules::check of the claim, wish already read ({events} events)"),
            |b| {
                b.iter(|| {
                    let change = ChangeUnderReview {
                        writer: &writer,
                        meta: &meta,
                        doc: &after,
                        before: &before,
                        patches: &patches,
                        wish: wish.clone(),
                        root: root.as_ref(),
                        writer_unit: None,
                    };
                    black_box(check(&change).expect("an honest claim"))
                })
            },
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
