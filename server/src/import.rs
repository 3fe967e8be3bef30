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

/// A problem found in a file or a row, in Chinese (the screens) and English (the CLI and
/// the API's `errors`); shown as its English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub zh: String,
    pub en: String,
}

impl Problem {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// "中文 (English)", for a message that has one string only (an HTTP error).
    pub fn both(&self) -> String {
        format!("{} ({})", self.zh, self.en)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// The outcome of checking one row, as shown to the person importing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowReport {
    /// The row's line in the file (the header is line 1).
    pub line: usize,
    /// Every problem found in the row, in English; empty when the row is good.
    pub errors: Vec<String>,
    /// The same problems in Chinese.
    pub errors_zh: Vec<String>,
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

    fn push(&mut self, line: usize, result: Result<(T, String), Vec<Problem>>) {
        match result {
            Ok((item, summary)) => {
                self.items.push(item);
                self.rows.push(RowReport {
                    line,
                    errors: Vec::new(),
                    errors_zh: Vec::new(),
                    summary,
                });
            }
            Err(problems) => self.rows.push(RowReport {
                line,
                errors: problems.iter().map(|p| p.en.clone()).collect(),
                errors_zh: problems.into_iter().map(|p| p.zh).collect(),
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
fn split_header(records: &[table::Record]) -> Result<(&table::Record, &[table::Record]), Problem> {
    records
        .split_first()
        .ok_or_else(|| Problem::new("文件没有表头行", "the file has no header row"))
}

/// A problem with the header row, with its line.
fn header_problem(line: usize, problem: Problem) -> Problem {
    Problem::new(
        format!("第 {line} 行（表头）：{}", problem.zh),
        format!("line {line}: {}", problem.en),
    )
}

#[cfg(test)]
mod tests;
