//! One row of a people file checked and resolved against the community: a directory
//! entry ([`Person`]) with a new id.

use rand::Rng;
use wish_client_core::model::community::Person;
use wish_client_core::model::{CommunityView, Module, Role};

use super::columns::Column;
use crate::import::header::Header;
use crate::import::table::Record;
use crate::import::{values, Problem};

/// What a row is checked against.
pub struct Context<'a> {
    pub community: &'a CommunityView,
}

/// Checks every cell of a row; on failure returns every problem found in it.
pub fn parse_row(
    header: &Header<Column>,
    record: &Record,
    ctx: &Context<'_>,
) -> Result<Person, Vec<Problem>> {
    header.check_width(&record.fields).map_err(|e| vec![e])?;
    let cell = |c: Column| header.get(&record.fields, c);
    let mut errors = Vec::new();
    let name = keep(&mut errors, name(ctx.community, cell(Column::Name)));
    let role = keep(&mut errors, kind(cell(Column::Kind)));
    let modules = keep(&mut errors, modules(cell(Column::Modules)));
    let party = keep(
        &mut errors,
        values::yes_no("party_member", cell(Column::PartyMember)),
    );
    let unit = keep(&mut errors, unit(ctx.community, cell(Column::Unit)));
    let stations = keep(&mut errors, stations(ctx.community, cell(Column::Stations)));
    let (Some(name), Some(role), Some(modules), Some(party), Some(unit), Some(stations)) =
        (name, role, modules, party, unit, stations)
    else {
        return Err(errors);
    };
    Ok(Person {
        id: format!("p-{}", hex::encode(rand::rng().random::<[u8; 6]>())),
        name,
        party_member: party || role == Role::Member,
        role,
        modules,
        skills: values::list(cell(Column::Skills)),
        unit,
        stations,
        left_at: None,
    })
}

fn keep<T>(errors: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A name not yet in the directory.
fn name(community: &CommunityView, cell: &str) -> Result<String, Problem> {
    if cell.is_empty() {
        return Err(Problem::new("姓名没有填", "name is empty"));
    }
    if community.people.values().any(|p| p.name == cell) {
        return Err(Problem::new(
            format!("“{cell}”已经在社区人员名单里"),
            format!("{cell:?} is already in the community directory"),
        ));
    }
    Ok(cell.to_owned())
}

/// The kind of person: a code or 志愿者/党员/专家/协调员; empty means volunteer.
fn kind(cell: &str) -> Result<Role, Problem> {
    if cell.is_empty() {
        return Ok(Role::Volunteer);
    }
    let zh = match cell {
        "党员志愿者" | "双报到党员" => Some(Role::Member),
        "驿站负责人" | "社工" => Some(Role::Coordinator),
        _ => Role::ALL.iter().copied().find(|r| r.label_zh() == cell),
    };
    zh.or_else(|| cell.to_ascii_lowercase().parse().ok())
        .ok_or_else(|| {
            Problem::new(
                format!("类别“{cell}”无法识别，应为 志愿者/党员/专家/协调员"),
                format!(
                    "unknown kind {cell:?}; expected volunteer, member, expert, coordinator \
                     or 志愿者/党员/专家/协调员"
                ),
            )
        })
}

fn modules(cell: &str) -> Result<Vec<Module>, Problem> {
    let mut out = Vec::new();
    for item in values::list(cell) {
        if let Some(module) = values::module(&item)? {
            if !out.contains(&module) {
                out.push(module);
            }
        }
    }
    Ok(out)
}

/// A partner unit of the community, by name or id.
fn unit(community: &CommunityView, cell: &str) -> Result<Option<String>, Problem> {
    if cell.is_empty() {
        return Ok(None);
    }
    if community.units.contains_key(cell) {
        return Ok(Some(cell.to_owned()));
    }
    let found: Vec<&String> = community
        .units
        .iter()
        .filter(|(_, u)| u.name == cell)
        .map(|(id, _)| id)
        .collect();
    match found.as_slice() {
        [id] => Ok(Some((*id).clone())),
        [] => Err(Problem::new(
            format!("没有叫“{cell}”的共建单位，请先在共建单位页添加"),
            format!("unknown unit {cell:?}; add it on the partner units screen first"),
        )),
        _ => Err(Problem::new(
            format!("共建单位名称“{cell}”不止一个"),
            format!("unit name {cell:?} is not unique"),
        )),
    }
}

/// Stations of the community, by name or id.
fn stations(community: &CommunityView, cell: &str) -> Result<Vec<String>, Problem> {
    let mut out = Vec::new();
    for wanted in values::list(cell) {
        let id = values::station_id(community, &wanted)?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}
