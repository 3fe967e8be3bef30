//! One row of a wish-card file checked and resolved against the community: a [`Card`].

use std::collections::BTreeSet;

use wish_client_core::model::{Channel, CommunityView, Module, Urgency};

use super::columns::Column;
use crate::calendar as date;
use crate::import::header::Header;
use crate::import::table::Record;
use crate::import::{values, Problem};

/// What a row is checked against.
pub struct Context<'a> {
    pub community: &'a CommunityView,
    /// `--station` (or the station chosen on the screen): the station of rows whose
    /// `station` cell is empty.
    pub default_station: Option<&'a str>,
    /// The stations the importer may import into (`None`: any of the community).
    pub allowed_stations: Option<&'a BTreeSet<String>>,
    pub now_ms: u64,
}

/// The resident's personal data from a row; written only to the contact document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactCells {
    pub name: String,
    pub phone: String,
    pub room: String,
    pub consent: bool,
}

/// A checked row, with the station and collector resolved to ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub line: usize,
    pub station: String,
    pub title: String,
    pub text: String,
    pub channel: Channel,
    pub compound: String,
    pub building: String,
    pub urgency: Urgency,
    pub suggested_module: Option<Module>,
    pub contact: Option<ContactCells>,
    pub collected_by: String,
    pub collected_at: u64,
}

/// Checks every cell of a record; on failure returns every problem found in it.
pub fn parse_row(
    header: &Header<Column>,
    record: &Record,
    ctx: &Context<'_>,
) -> Result<Card, Vec<Problem>> {
    header.check_width(&record.fields).map_err(|e| vec![e])?;
    let cell = |c: Column| header.get(&record.fields, c);
    let mut errors = Vec::new();
    keep(&mut errors, required("标题", "title", cell(Column::Title)));
    keep(&mut errors, values::phone(cell(Column::Phone)));
    let station = keep(&mut errors, station(ctx, cell(Column::Station)));
    let collected_by = keep(
        &mut errors,
        collector(ctx.community, cell(Column::CollectedBy)),
    );
    let channel = keep(&mut errors, values::channel(cell(Column::Channel)));
    let urgency = keep(&mut errors, values::urgency(cell(Column::Urgency)));
    let module = keep(&mut errors, values::module(cell(Column::SuggestedModule)));
    let consent = keep(&mut errors, values::consent(cell(Column::Consent)));
    let at = keep(
        &mut errors,
        collected_at(cell(Column::CollectedOn), ctx.now_ms),
    );
    let (Some(station), Some(collected_by), Some(channel), Some(urgency), Some(module)) =
        (station, collected_by, channel, urgency, module)
    else {
        return Err(errors);
    };
    let (Some(consent), Some(at), true) = (consent, at, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Card {
        line: record.line,
        station,
        title: cell(Column::Title).to_owned(),
        text: cell(Column::Text).to_owned(),
        channel,
        compound: cell(Column::Compound).to_owned(),
        building: cell(Column::Building).to_owned(),
        urgency,
        suggested_module: module,
        contact: contact(&cell, consent),
        collected_by,
        collected_at: at,
    })
}

/// The value, or `None` after noting the error.
fn keep<T>(errors: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn required(zh: &str, name: &str, value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        Err(Problem::new(
            format!("{zh}没有填"),
            format!("{name} is empty"),
        ))
    } else {
        Ok(())
    }
}

/// The contact cells, `None` when the resident left no name, phone or room.
fn contact<'a>(cell: &dyn Fn(Column) -> &'a str, consent: bool) -> Option<ContactCells> {
    let (name, phone, room) = (
        cell(Column::ResidentName),
        cell(Column::Phone),
        cell(Column::Room),
    );
    let any = !(name.is_empty() && phone.is_empty() && room.is_empty());
    any.then(|| ContactCells {
        name: name.to_owned(),
        phone: phone.to_owned(),
        room: room.to_owned(),
        consent,
    })
}

/// The station id named by the cell (an id or a name), or `--station` if it is empty.
fn station(ctx: &Context<'_>, cell: &str) -> Result<String, Problem> {
    let wanted = match (cell, ctx.default_station) {
        ("", Some(default)) => default,
        ("", None) => {
            return Err(Problem::new(
                "驿站没有填，也没有选默认驿站",
                "station is empty and no default station was given",
            ))
        }
        (named, _) => named,
    };
    let id = values::station_id(ctx.community, wanted)?;
    match ctx.allowed_stations {
        Some(allowed) if !allowed.contains(&id) => Err(Problem::new(
            format!("“{wanted}”不是您负责的驿站"),
            format!("station {wanted:?} is not one of the stations you coordinate"),
        )),
        _ => Ok(id),
    }
}

/// The person id named by the cell: a person id or a name in the community directory.
fn collector(community: &CommunityView, cell: &str) -> Result<String, Problem> {
    if cell.is_empty() {
        return Err(Problem::new("收集人没有填", "collected_by is empty"));
    }
    if community.people.contains_key(cell) {
        return Ok(cell.to_owned());
    }
    let by_name: Vec<&String> = community
        .people
        .iter()
        .filter(|(_, p)| p.name == cell)
        .map(|(id, _)| id)
        .collect();
    match by_name.as_slice() {
        [id] => Ok((*id).clone()),
        [] => Err(Problem::new(
            format!("社区人员名单里没有“{cell}”，请先添加此人"),
            format!(
                "unknown collector {cell:?}; give the id or name of a person in the community \
                 directory"
            ),
        )),
        ids => Err(Problem::new(
            format!("名单里有 {} 人叫“{cell}”，请在人员页区分", ids.len()),
            format!(
                "collector name {cell:?} is shared by {}; give the person id",
                ids.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Noon (local) of the collection day, or now if the cell is empty; never in the future.
fn collected_at(cell: &str, now_ms: u64) -> Result<u64, Problem> {
    if cell.is_empty() {
        return Ok(now_ms);
    }
    let day = date::parse_date(cell).ok_or_else(|| {
        Problem::new(
            format!("收集日期“{cell}”不是日期，应写成 2026-03-08 这样"),
            format!("collected_on {cell:?} is not a date; expected YYYY-MM-DD"),
        )
    })?;
    if day > date::local_day(now_ms) {
        return Err(Problem::new(
            format!("收集日期 {cell} 还没到"),
            format!("collected_on {cell} is in the future"),
        ));
    }
    Ok(date::local_ms(day, 12).min(now_ms))
}
