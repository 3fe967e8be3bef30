//! `wish-station import`: paper wish cards (from the wish boxes) typed into a spreadsheet,
//! written into a data directory while the server is stopped. The running server imports
//! the same files on a screen (`POST /api/v1/import/wishes`); both read and check them
//! with [`crate::import`].
//!
//! The file is XLSX (first sheet) or CSV in UTF-8 (a byte order mark is allowed) or
//! GB18030, comma-separated, with a header row naming the columns in any order (English
//! names, or the Chinese ones in brackets):
//!
//! | column | required | values |
//! |---|---|---|
//! | `station` (驿站) | unless `--station` | station id or name in the community |
//! | `title` (标题) | yes | short public title, no personal data |
//! | `text` (内容) | no | the wish in the resident's words, no personal data |
//! | `channel` (渠道) | no, `wish_box` | `door_to_door`, `wish_box`, `wish_wall`, `walk_in`, `phone`, `grid_visit` or 上门收集/心愿箱/心愿墙/到站登记/电话/网格走访 |
//! | `compound` (小区), `building` (楼栋) | no | coarse location, never a room |
//! | `urgency` (紧急程度) | no, `normal` | `low`, `normal`, `high`, `urgent` or 低/普通/高/紧急 |
//! | `suggested_module` (建议模块) | no | `law`, `psychology`, `medical`, `employment`, `comprehensive` or 法律/心理/医疗/就业/综合 |
//! | `resident_name` (居民姓名), `phone` (电话), `room` (房号) | no | go only into the contact document |
//! | `consent` (同意联系) | no, `no` | `yes`/`no`/`是`/`否`; `door_to_door` cards with a contact need `yes` |
//! | `collected_by` (收集人) | yes | person id or name in the community directory |
//! | `collected_on` (收集日期) | no, today | `YYYY-MM-DD`, not in the future |
//!
//! Every row is checked first (including the schema's rules, by building its documents);
//! if any row is bad, one line per bad row goes to stderr and nothing is written.
//! Otherwise every wish and contact document, and the index of each station document
//! the store holds, is written in one transaction.

mod target;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _};
use automerge::ActorId;
use clap::Args;
use wish_client_core::ops::station::index_wish;
use wish_client_core::proto::DocumentId;

use self::target::Target;
use super::doc_writer::{load_doc, open_offline_store, DocBatch};
use crate::import::wishes::{self, Built, Context};
use crate::import::{table, Checked};
use crate::storage::Storage;

const COLUMNS_HELP: &str = "\
Columns (XLSX, or CSV in UTF-8 with or without BOM or GB18030; header row, any order;
English or Chinese header names):
  station (驿站)                station id or name (or use --station)
  title (标题)                  required; short public title, no personal data
  text (内容)                   the wish in the resident's words, no personal data
  channel (渠道)                door_to_door, wish_box (default), wish_wall, walk_in, phone,
                                grid_visit or 上门收集/心愿箱/心愿墙/到站登记/电话/网格走访
  compound (小区)               residential compound
  building (楼栋)               building; never a room number
  urgency (紧急程度)          low, normal (default), high, urgent or 低/普通/高/紧急
  suggested_module (建议模块) law, psychology, medical, employment, comprehensive
                                or 法律/心理/医疗/就业/综合
  resident_name (居民姓名)    } the resident's contact data:
  phone (电话)                  } written only to the contact document
  room (房号)                   }
  consent (同意联系)          yes/no/是/否 (default no); door_to_door cards with
                                contact data need yes
  collected_by (收集人)        required; person id or name in the community directory
  collected_on (收集日期)     YYYY-MM-DD (default today)
Every row is checked before anything is written: one error line per bad row, and nothing
is written if any row is bad.";

#[derive(Args)]
#[command(after_long_help = COLUMNS_HELP, after_help = COLUMNS_HELP)]
pub struct ImportArgs {
    /// Data directory (the server must be stopped).
    #[arg(long, default_value = "./data")]
    data: PathBuf,
    /// The file of wish cards (CSV or XLSX).
    file: PathBuf,
    /// Community document id, or the community's id; needed when the data directory holds
    /// several communities.
    #[arg(long, value_name = "DOCID_OR_ID")]
    community: Option<String>,
    /// Station id or name for rows whose station cell is empty.
    #[arg(long, value_name = "ID")]
    station: Option<String>,
    /// Check the file and report, but write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let records = table::read_table(&bytes).map_err(|e| anyhow!("{}: {e}", args.file.display()))?;
    let store = open_offline_store(&args.data)?;
    let target = target::resolve(store.as_ref(), args.community.as_deref())?;
    let ctx = Context {
        community: &target.community,
        default_station: args.station.as_deref(),
        allowed_stations: None,
        now_ms: crate::clock::now_ms(),
    };
    let checked = wishes::check(&records, &ctx, &target.doc, &ActorId::random())
        .map_err(|e| anyhow!("{}: {e}", args.file.display()))?;
    let built = all_good(checked, &args.file)?;
    if args.dry_run {
        print_checked(built.len(), &args.file);
        return Ok(());
    }
    let indexed = write(store.as_ref(), &built, &target, ctx.now_ms)?;
    print_imported(&built, &indexed, &target, &args.file);
    Ok(())
}

/// The built cards if every row is good; otherwise prints one line per bad row and fails.
fn all_good(checked: Checked<Built>, file: &Path) -> anyhow::Result<Vec<Built>> {
    let bad = checked.bad();
    for row in checked.rows.iter().filter(|r| !r.errors.is_empty()) {
        eprintln!("line {}: {}", row.line, row.errors.join(" | "));
    }
    if bad > 0 {
        bail!(
            "{bad} of {} rows in {} are bad; nothing was imported",
            checked.rows.len(),
            file.display()
        );
    }
    Ok(checked.items)
}

/// Writes every document and the indexes of the stations the store holds, in one
/// transaction. Returns the number of wishes indexed per station id (stations whose
/// document is not in the store are absent).
fn write(
    storage: &dyn Storage,
    built: &[Built],
    target: &Target,
    now_ms: u64,
) -> anyhow::Result<BTreeMap<String, usize>> {
    let mut batch = DocBatch::default();
    for card in built {
        batch.add(card.wish_doc, &card.wish)?;
        if let Some((id, doc)) = &card.contact {
            batch.add(*id, doc)?;
        }
    }
    let mut indexed = BTreeMap::new();
    for (station, wishes) in by_station(built) {
        let Some(doc) = station_doc(target, &station) else {
            continue;
        };
        let Some(mut stored) = load_doc(storage, &doc)? else {
            continue;
        };
        for wish in &wishes {
            index_wish(&mut stored.doc, &wish.to_string(), now_ms)
                .with_context(|| format!("indexing a wish in station {station}"))?;
        }
        batch.replace(doc, stored)?;
        indexed.insert(station, wishes.len());
    }
    batch.commit(storage)?;
    Ok(indexed)
}

fn by_station(built: &[Built]) -> BTreeMap<String, Vec<DocumentId>> {
    let mut out: BTreeMap<String, Vec<DocumentId>> = BTreeMap::new();
    for card in built {
        out.entry(card.station.clone())
            .or_default()
            .push(card.wish_doc);
    }
    out
}

fn station_doc(target: &Target, station: &str) -> Option<DocumentId> {
    target.community.stations.get(station)?.doc.parse().ok()
}

#[allow(clippy::print_stdout)] // the command's report
fn print_checked(rows: usize, file: &Path) {
    println!(
        "checked {} in {}: all valid; nothing written (--dry-run)",
        plural(rows, "card", "cards"),
        file.display()
    );
}

#[allow(clippy::print_stdout)] // the command's report
fn print_imported(
    built: &[Built],
    indexed: &BTreeMap<String, usize>,
    target: &Target,
    file: &Path,
) {
    let contacts = built.iter().filter(|b| b.contact.is_some()).count();
    println!(
        "imported {} ({contacts} with a contact document) from {} into {} ({})",
        wishes(built.len()),
        file.display(),
        target.community.name,
        target.doc.url()
    );
    for (station, count) in by_station(built) {
        let count = wishes(count.len());
        match indexed.get(&station) {
            Some(_) => println!("  station {station}: {count}, added to its index"),
            None => println!(
                "  station {station}: {count}; its station document is not in this data \
                 directory, so its index was not updated"
            ),
        }
    }
}

fn wishes(n: usize) -> String {
    plural(n, "wish", "wishes")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
