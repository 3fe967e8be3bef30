//! CSV of the exports, written by the `csv` crate (quoting, CRLF line ends).

use super::columns::{self, Cell};

/// CSV records being written into memory.
pub struct CsvOut(csv::Writer<Vec<u8>>);

impl CsvOut {
    /// An empty buffer of about `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self(builder().from_writer(Vec::with_capacity(capacity)))
    }

    /// A file: the UTF-8 byte-order mark (Excel on a Chinese Windows reads the file as
    /// GB18030 without it), then the header row.
    pub fn with_header(headers: &[&str], capacity: usize) -> Self {
        let mut bytes = Vec::with_capacity(capacity);
        bytes.extend_from_slice(super::BOM.as_bytes());
        let mut writer = builder().from_writer(bytes);
        let _ = writer.write_record(headers);
        Self(writer)
    }

    /// Appends one row. Writing into memory cannot fail, and rows of any length are
    /// accepted (`flexible`), so no row is ever dropped.
    pub fn record(&mut self, cells: &[Cell]) {
        let _ = self.0.write_record(cells.iter().map(field));
    }

    /// The rows written, as bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_inner().unwrap_or_default()
    }
}

fn builder() -> csv::WriterBuilder {
    let mut builder = csv::WriterBuilder::new();
    builder.terminator(csv::Terminator::CRLF).flexible(true);
    builder
}

/// A cell's text: formulas defused (see [`columns::defuse`]).
fn field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Number(n) => n.to_string(),
        Cell::Text(t) => columns::defuse(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_rows_end_in_crlf() {
        let mut out = CsvOut::with_capacity(64);
        out.record(&[
            Cell::Text("王, 阿姨".into()),
            Cell::Text("说 \"谢谢\"".into()),
            Cell::Number(1.5),
            Cell::Empty,
        ]);
        out.record(&[Cell::Text("两行\n文字".into()), Cell::Text("平常".into())]);
        let text = String::from_utf8(out.into_bytes()).unwrap_or_default();
        assert_eq!(
            text,
            "\"王, 阿姨\",\"说 \"\"谢谢\"\"\",1.5,\r\n\"两行\n文字\",平常\r\n"
        );
    }

    #[test]
    fn a_file_starts_with_the_bom_and_the_header() {
        let mut out = CsvOut::with_header(&["编号", "标题"], 64);
        out.record(&[Cell::Text("w1".into()), Cell::Text("=1+1".into())]);
        let text = String::from_utf8(out.into_bytes()).unwrap_or_default();
        assert_eq!(text, "\u{feff}编号,标题\r\nw1,'=1+1\r\n");
    }
}
