//! Importing spreadsheets of paper wish cards (from the wish boxes) and of people (the
//! community directory), shared by the offline CLI (`wish-station import`) and the
//! running server (`POST /api/v1/import/wishes`, `/import/people`): the same reader, the
//! same row checks, the same messages.
//!
//! ```text
//! bytes --table::read_table--> rows --wishes::check / people::check--> Checked
//!        (XLSX, UTF-8, GB18030)        (one RowReport per row; items of the good rows)
//! ```
//!
//! Nothing is written unless every row is good: the CLI writes the items into a stopped
//! server's store, the REST endpoints hand them to the engine (`engine/server_write.rs`).

pub mod header;
pub mod people;
pub mod table;
pub mod values;
pub mod wishes;

use serde::Serialize;

/// The outcome of checking one row, as shown to the person importing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    /// The row's line in the file (the header is line 1).
    pub line: usize,
    /// Every problem found in the row; empty when the row is good.
    pub errors: Vec<String>,
    /// What the row will become, in a few words (a title and a station, a name).
    pub summary: String,
}

/// Every row checked, and what the good rows will become.
pub struct Checked<T> {
    pub rows: Vec<RowReport>,
    pub items: Vec<T>,
}

impl<T> Checked<T> {
    /// How many rows have problems.
    pub fn bad(&self) -> usize {
        self.rows.iter().filter(|r| !r.errors.is_empty()).count()
    }

    fn push(&mut self, line: usize, result: Result<(T, String), Vec<String>>) {
        match result {
            Ok((item, summary)) => {
                self.items.push(item);
                self.rows.push(RowReport {
                    line,
                    errors: Vec::new(),
                    summary,
                });
            }
            Err(errors) => self.rows.push(RowReport {
                line,
                errors,
                summary: String::new(),
            }),
        }
    }
}

impl<T> Default for Checked<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// Splits the header row from the rows; the error names the problem with the header.
fn split_header(records: &[table::Record]) -> Result<(&table::Record, &[table::Record]), String> {
    records
        .split_first()
        .ok_or_else(|| "the file has no header row".to_owned())
}
