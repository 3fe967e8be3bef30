//! A list of people (volunteers, party members, experts, coordinators) typed into a
//! spreadsheet: one row per person, checked against the community (stations and partner
//! units by name or id, no name twice), becoming entries of the community directory.
//!
//! | column | required | values |
//! |---|---|---|
//! | `name` (姓名) | yes | the person's name, not yet in the directory |
//! | `kind` (类别) | no, `volunteer` | `volunteer`, `member`, `expert`, `coordinator` or 志愿者/党员/专家/协调员 |
//! | `modules` (模块) | no | modules separated by 、 , ; or spaces: `law` … or 法律/心理/医疗/就业/综合 |
//! | `skills` (技能) | no | free words separated by 、 , ; or spaces |
//! | `party_member` (党员) | no, `no` | yes/no/是/否 |
//! | `unit` (单位) | no | a partner unit's name or id in the community |
//! | `stations` (驿站) | no | station names or ids, separated as modules |

pub mod columns;
pub mod row;

use wish_client_core::model::community::Person;
use wish_client_core::model::CommunityView;

pub use row::Context;

use super::table::Record;
use super::{header_problem, Checked, Problem};

/// Checks every row and makes the directory entry of each good one. Fails only when the
/// header row is unusable; bad rows are reported in [`Checked::rows`].
pub fn check(records: &[Record], ctx: &Context<'_>) -> Result<Checked<Person>, Problem> {
    let (header, rows) = super::split_header(records)?;
    let header =
        columns::parse_header(&header.fields).map_err(|e| header_problem(header.line, e))?;
    let mut checked: Checked<Person> = Checked::default();
    for record in rows {
        let result = row::parse_row(&header, record, ctx).and_then(|person| {
            not_twice(&checked.items, &person)?;
            let summary = summary(&person, ctx.community);
            Ok((person, summary))
        });
        checked.push(record.line, result);
    }
    Ok(checked)
}

/// A name may appear once in a file.
fn not_twice(earlier: &[Person], person: &Person) -> Result<(), Vec<Problem>> {
    if earlier.iter().any(|p| p.name == person.name) {
        return Err(vec![Problem::new(
            format!("“{}”在文件里出现了两次", person.name),
            format!("{:?} appears twice in this file", person.name),
        )]);
    }
    Ok(())
}

/// "name · 党员 · station names".
fn summary(person: &Person, community: &CommunityView) -> String {
    let mut parts = vec![person.name.clone(), person.role.label_zh().to_owned()];
    if person.party_member && person.role != wish_client_core::model::Role::Member {
        parts.push("党员".into());
    }
    let stations: Vec<&str> = person
        .stations
        .iter()
        .map(|s| {
            community
                .stations
                .get(s)
                .map_or(s.as_str(), |r| r.name.as_str())
        })
        .collect();
    if !stations.is_empty() {
        parts.push(stations.join("、"));
    }
    parts.join(" · ")
}
