//! A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes
//! (`""` inside quotes is one quote; quoted fields may hold commas and newlines), CRLF,
//! LF or CR line ends, an optional UTF-8 byte order mark. Blank lines are skipped.

/// One record and the line of the file it starts on (1-based, the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Parses the whole text. The only error is a quoted field that is never closed.
pub fn parse(text: &str) -> Result<Vec<Record>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue; // the '\n' that follows ends the line
        }
        reader.push(c, chars.peek().copied());
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    records: Vec<Record>,
    fields: Vec<String>,
    field: String,
    /// Inside a quoted field.
    quoted: bool,
    /// The current field began with a quote (so it is not blank even if empty).
    was_quoted: bool,
    /// The previous character closed a quote or was an escaped quote's first half.
    pending_quote: bool,
    line: usize,
    record_line: usize,
}

impl Reader {
    fn push(&mut self, c: char, next: Option<char>) {
        if self.line == 0 {
            self.line = 1;
            self.record_line = 1;
        }
        if self.quoted {
            self.push_quoted(c, next);
        } else {
            self.push_plain(c);
        }
    }

    fn push_quoted(&mut self, c: char, next: Option<char>) {
        match c {
            '"' if self.pending_quote => {
                self.field.push('"');
                self.pending_quote = false;
            }
            '"' if next == Some('"') => self.pending_quote = true,
            '"' => self.quoted = false,
            '\r' | '\n' => {
                self.field.push('\n');
                self.line += 1;
            }
            _ => self.field.push(c),
        }
    }

    fn push_plain(&mut self, c: char) {
        match c {
            '"' if self.field.is_empty() && !self.was_quoted => {
                self.quoted = true;
                self.was_quoted = true;
            }
            ',' => self.end_field(),
            '\r' | '\n' => {
                self.end_record();
                self.line += 1;
                self.record_line = self.line;
            }
            _ => self.field.push(c),
        }
    }

    fn end_field(&mut self) {
        self.fields.push(std::mem::take(&mut self.field));
        self.was_quoted = false;
    }

    fn end_record(&mut self) {
        let blank = self.fields.is_empty() && self.field.is_empty() && !self.was_quoted;
        self.end_field();
        let fields = std::mem::take(&mut self.fields);
        if !blank {
            self.records.push(Record {
                line: self.record_line,
                fields,
            });
        }
    }

    fn finish(mut self) -> Result<Vec<Record>, String> {
        if self.quoted {
            return Err(format!(
                "line {}: a quoted field is never closed",
                self.record_line
            ));
        }
        if self.line > 0 {
            self.end_record();
        }
        Ok(self.records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(usize, Vec<String>)> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.fields))
            .collect()
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_and_quoted_fields() {
        let text = "\u{feff}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n";
        assert_eq!(
            fields(text),
            vec![
                (1, v(&["a", "b", "c"])),
                (2, v(&["1", "x, y", "say \"hi\""]))
            ]
        );
    }

    #[test]
    fn newlines_inside_quotes_keep_line_numbers_right() {
        let text = "h1,h2\n\"two\r\nlines\",x\n\nlast,\"\"";
        assert_eq!(
            fields(text),
            vec![
                (1, v(&["h1", "h2"])),
                (2, v(&["two\nlines", "x"])),
                (5, v(&["last", ""])),
            ]
        );
    }

    #[test]
    fn unclosed_quote_is_an_error() {
        assert_eq!(
            parse("a\n\"open,b\nc").unwrap_err(),
            "line 2: a quoted field is never closed"
        );
    }

    #[test]
    fn quotes_inside_plain_fields_are_kept() {
        assert_eq!(fields("a\"b,c"), vec![(1, v(&["a\"b", "c"]))]);
    }
}
