//! Reading an uploaded or given spreadsheet into rows of text: XLSX (the first sheet),
//! or CSV in UTF-8 (with or without a byte order mark) or GB18030 (what Excel on a
//! Chinese Windows writes when saving "CSV (逗号分隔)").
//!
//! The format is told by the bytes, not the file name: an XLSX file is a zip archive
//! (`PK\x03\x04`); anything else is CSV, read as UTF-8 if it is valid UTF-8 and as GB18030
//! otherwise (GB18030 decodes every byte sequence, so a file that is neither gives
//! replacement characters, which the row checks then report).
//!
//! ```
//! use wish_server::import::table::read_table;
//! let rows = read_table("标题,收集人\n路由器,王芳\n".as_bytes()).unwrap();
//! assert_eq!(rows[1].fields, vec!["路由器", "王芳"]);
//! assert_eq!(rows[1].line, 2);
//! ```

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::calendar as date;

/// Largest file accepted (uploads and the CLI alike).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Most rows read from one file, header included: the server holds every document of
/// an import in memory until it is committed (a wish card makes up to two).
pub const MAX_ROWS: usize = 2_000;

/// One row and its line in the file (1-based, the header is line 1; for XLSX the row
/// number Excel shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a file could not be read at all (bad rows are reported by the row checks).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("the file has more than {MAX_ROWS} rows; split it")]
    TooManyRows,
    #[error("the spreadsheet cannot be read: {0}")]
    Xlsx(String),
    #[error("line {line}: {message}")]
    Csv { line: usize, message: String },
}

/// Reads every non-blank row of the file.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Record>, TableError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TableError::TooLarge);
    }
    let records = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        read_csv(&decode(bytes))?
    };
    if records.is_empty() {
        return Err(TableError::Empty);
    }
    if records.len() > MAX_ROWS {
        return Err(TableError::TooManyRows);
    }
    Ok(records)
}

/// The text of a CSV file: UTF-8 (a byte order mark dropped), else GB18030.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

impl TableError {
    /// The reason in Chinese and English.
    pub fn problem(&self) -> super::Problem {
        let zh = match self {
            Self::Empty => "文件是空的".to_owned(),
            Self::TooLarge => format!("文件超过 {} MB", MAX_FILE_BYTES / (1024 * 1024)),
            Self::TooManyRows => format!("文件超过 {MAX_ROWS} 行，请分成几个文件"),
            Self::Xlsx(_) => "这个表格文件打不开，请用 Excel 另存为 .xlsx 或 CSV".to_owned(),
            Self::Csv { line, .. } => format!("第 {line} 行不能按 CSV 读取"),
        };
        super::Problem::new(zh, self.to_string())
    }
}

fn read_csv(text: &str) -> Result<Vec<Record>, TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut lines = LineCounter::new(text);
    for row in reader.records() {
        let row = row.map_err(|e| TableError::Csv {
            line: e.position().map_or(0, |p| lines.line_at(p.byte() as usize)),
            message: csv_message(&e),
        })?;
        let line = row
            .position()
            .map_or(out.len() + 1, |p| lines.line_at(p.byte() as usize));
        let fields: Vec<String> = row.iter().map(str::to_owned).collect();
        push_unless_blank(&mut out, line, fields);
        if out.len() > MAX_ROWS {
            return Err(TableError::TooManyRows);
        }
    }
    Ok(out)
}

/// Line numbers from byte offsets, counted once as the reader moves forward (the csv
/// crate's own line count does not count CRLF line ends, which Excel writes).
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of a record starting at byte `offset` (offsets must not go
    /// backwards). The reader may place a record at the `\n` of the CRLF before it.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut end = offset.min(self.text.len());
        while self
            .text
            .get(end)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            end += 1;
        }
        if end > self.offset {
            self.line += self.text[self.offset..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.offset = end;
        }
        self.line
    }
}

fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is neither UTF-8 nor GB18030".into(),
        _ => "the row cannot be read as CSV".into(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Record>, TableError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| TableError::Xlsx("it has no sheet".into()))?
        .map_err(|e| TableError::Xlsx(e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let fields = row.iter().map(cell_text).collect();
        push_unless_blank(&mut out, first_row + i + 1, fields);
        if out.len() > MAX_ROWS {
            return Err(TableError::TooManyRows);
        }
    }
    Ok(out)
}

/// A cell as the text a person sees: dates as `YYYY-MM-DD`, whole numbers without `.0`
/// (phone numbers are often stored as numbers).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::DateTime(when) if when.is_datetime() => {
            let (y, m, d, ..) = when.to_ymd_hms_milli();
            date::date_string(date::days_from_civil(y.into(), m.into(), d.into()))
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Bool(true) => "是".into(),
        Data::Bool(false) => "否".into(),
        Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

fn push_unless_blank(out: &mut Vec<Record>, line: usize, fields: Vec<String>) {
    if fields.iter().any(|f| !f.trim().is_empty()) {
        out.push(Record { line, fields });
    }
}

#[cfg(test)]
mod tests;
