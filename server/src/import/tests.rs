//! Row checks of both kinds of file against a small community: good rows become items,
//! every bad row is reported with its line and every problem, in both languages.

use std::collections::BTreeSet;

use automerge::{ActorId, Automerge};
use wish_client_core::model::community::{Person, StationRef, Unit};
use wish_client_core::model::{CommunityView, Role, StationKind};
use wish_client_core::ops::community::{
    add_person, add_station, add_unit, create_community, NewCommunity,
};
use wish_client_core::proto::DocumentId;

use super::table::read_table;
use super::{people, wishes};

/// 和谐社区: stations s1 一号站 and s2 二号站, unit u1 社区医院, coordinator 王芳.
fn community() -> CommunityView {
    let mut doc = Automerge::new();
    let profile = NewCommunity {
        id: "c1".into(),
        name: "和谐社区".into(),
        district: "和平街道".into(),
    };
    create_community(&mut doc, &profile, 1).unwrap();
    for (id, name) in [("s1", "一号站"), ("s2", "二号站")] {
        let station = StationRef {
            name: name.into(),
            kind: StationKind::Station,
            doc: format!("doc-{id}"),
        };
        add_station(&mut doc, id, &station, 1).unwrap();
    }
    let unit = Unit {
        id: "u1".into(),
        name: "社区医院".into(),
        kind: "hospital".into(),
        contact_person: String::new(),
    };
    add_unit(&mut doc, &unit, 1).unwrap();
    let person = Person {
        id: "p1".into(),
        name: "王芳".into(),
        role: Role::Coordinator,
        modules: Vec::new(),
        skills: Vec::new(),
        party_member: true,
        unit: None,
        stations: vec!["s1".into()],
        left_at: None,
    };
    add_person(&mut doc, &person, 1).unwrap();
    CommunityView::read(&doc).unwrap()
}

#[test]
fn people_rows_are_checked_one_by_one() {
    let view = community();
    let file = "姓名,类别,模块,党员,单位,驿站\r\n\
                李明,党员,法律、心理,,社区医院,一号站 二号站\r\n\
                王芳,志愿者,,,,\r\n\
                赵六,居民,,也许,无名单位,三号站\r\n\
                李明,志愿者,,,,\r\n\
                ,志愿者,,,,\r\n";
    let rows = read_table(file.as_bytes()).unwrap();
    let checked = people::check(&rows, &people::Context { community: &view }).unwrap();
    assert_eq!(checked.items.len(), 1);
    let li = &checked.items[0];
    assert_eq!(
        (li.name.as_str(), li.role, li.party_member),
        ("李明", Role::Member, true)
    );
    assert_eq!(li.stations, vec!["s1", "s2"]);
    assert_eq!(li.unit.as_deref(), Some("u1"));
    assert_eq!(li.modules.len(), 2);
    let bad: Vec<(usize, usize)> = checked
        .rows
        .iter()
        .filter(|r| !r.errors.is_empty())
        .map(|r| (r.line, r.errors.len()))
        .collect();
    assert_eq!(bad, vec![(3, 1), (4, 4), (5, 1), (6, 1)]);
    assert_eq!(
        checked.rows[1].errors_zh,
        vec!["“王芳”已经在社区人员名单里"]
    );
    assert!(checked.rows[3].errors[0].contains("appears twice"));
    assert!(checked.rows[0].summary.starts_with("李明 · 党员"));
}

#[test]
fn wish_rows_outside_the_importers_stations_and_malformed_rows_are_bad() {
    let view = community();
    let mine = BTreeSet::from(["s1".to_owned()]);
    let ctx = wishes::Context {
        community: &view,
        default_station: Some("一号站"),
        allowed_stations: Some(&mine),
        now_ms: 1_800_000_000_000,
    };
    let file = "驿站,标题,收集人,电话\n\
                ,楼道灯坏了,王芳,\n\
                二号站,路面积水,王芳,\n\
                一号站,,无名氏,123\n\
                一号站,多一栏,王芳,,额外\n";
    let rows = read_table(file.as_bytes()).unwrap();
    let actor = ActorId::random();
    let checked = wishes::check(&rows, &ctx, &DocumentId::from_bytes([1; 16]), &actor).unwrap();
    assert_eq!(
        checked.items.len(),
        1,
        "only the card at the default station"
    );
    assert_eq!(checked.items[0].station, "s1");
    assert!(checked.items[0].contact.is_none());
    let errors: Vec<&[String]> = checked
        .rows
        .iter()
        .map(|r| r.errors_zh.as_slice())
        .collect();
    assert!(errors[0].is_empty());
    assert_eq!(errors[1], ["“二号站”不是您负责的驿站"]);
    assert_eq!(
        errors[2].len(),
        3,
        "title, collector, phone: {:?}",
        errors[2]
    );
    assert_eq!(errors[3], ["这一行有 5 栏，表头只有 4 栏"]);
}

#[test]
fn an_unusable_header_is_one_problem_for_the_whole_file() {
    let view = community();
    let rows = read_table("姓名,心情\n李明,好\n".as_bytes()).unwrap();
    let Err(problem) = people::check(&rows, &people::Context { community: &view }) else {
        panic!("the header is refused");
    };
    assert!(
        problem.en.starts_with("line 1: unknown column \"心情\""),
        "{}",
        problem.en
    );
    assert!(problem.zh.contains("表头“心情”无法识别"), "{}", problem.zh);
}
