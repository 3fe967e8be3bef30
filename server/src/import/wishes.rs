//! Paper wish cards typed into a spreadsheet: one row per card, checked against the
//! community (stations and collectors by name or id), built into a wish document and,
//! where the resident left a name, phone or room, a contact document. The columns are
//! listed in `columns.rs` and in `wish-station import --help`.

pub mod build;
pub mod columns;
pub mod row;

use automerge::ActorId;
use wish_client_core::proto::DocumentId;

pub use build::Built;
pub use row::{Card, Context};

use super::table::Record;
use super::{header_problem, Checked, Problem};

/// Checks every row and builds the documents of the good ones (with `actor`). Fails only
/// when the header row is unusable; bad rows are reported in [`Checked::rows`].
pub fn check(
    records: &[Record],
    ctx: &Context<'_>,
    community_doc: &DocumentId,
    actor: &ActorId,
) -> Result<Checked<Built>, Problem> {
    let (header, rows) = super::split_header(records)?;
    let header =
        columns::parse_header(&header.fields).map_err(|e| header_problem(header.line, e))?;
    let mut checked = Checked::default();
    for record in rows {
        let result = row::parse_row(&header, record, ctx).and_then(|card| {
            let built = build::build(&card, community_doc, actor).map_err(|e| vec![e])?;
            Ok((built, summary(&card, ctx)))
        });
        checked.push(record.line, result);
    }
    Ok(checked)
}

/// "title · station name".
fn summary(card: &Card, ctx: &Context<'_>) -> String {
    let station = ctx
        .community
        .stations
        .get(&card.station)
        .map_or(card.station.as_str(), |s| s.name.as_str());
    format!("{} · {station}", card.title)
}
