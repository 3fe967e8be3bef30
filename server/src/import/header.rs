//! The header row of an import file: which column each field holds. Each kind of file
//! lists its columns with an English name and the Chinese names also accepted; names
//! match in any order, English ones without regard to case.

use super::Problem;

/// A column's names: the English one (used in messages) and the Chinese ones accepted.
pub type ColumnNames<C> = (C, &'static str, &'static [&'static str]);

/// Which field of a row holds which column.
#[derive(Debug)]
pub struct Header<C: 'static> {
    positions: Vec<(C, usize)>,
    names: &'static [ColumnNames<C>],
    pub width: usize,
}

impl<C: Copy + PartialEq + 'static> Header<C> {
    /// Reads the header row. Refuses unknown or repeated names and missing `required`
    /// columns.
    pub fn parse(
        fields: &[String],
        names: &'static [ColumnNames<C>],
        required: &[C],
    ) -> Result<Self, Problem> {
        let mut positions = Vec::new();
        for (i, name) in fields.iter().enumerate() {
            let column = lookup(names, name.trim()).ok_or_else(|| {
                Problem::new(
                    format!("表头“{name}”无法识别，可用的表头：{}", expected_zh(names)),
                    format!("unknown column {:?}; expected {}", name, expected(names)),
                )
            })?;
            if positions.iter().any(|(c, _)| *c == column) {
                return Err(Problem::new(
                    format!("表头“{name}”出现了两次"),
                    format!("column {name:?} appears twice"),
                ));
            }
            positions.push((column, i));
        }
        for wanted in required {
            if !positions.iter().any(|(c, _)| c == wanted) {
                return Err(Problem::new(
                    format!("缺少“{}”栏", chinese(names, *wanted)),
                    format!("missing column {}", english(names, *wanted)),
                ));
            }
        }
        Ok(Self {
            positions,
            names,
            width: fields.len(),
        })
    }

    /// The trimmed value of `column` in a row, empty if the file has no such column.
    pub fn get<'a>(&self, fields: &'a [String], column: C) -> &'a str {
        self.positions
            .iter()
            .find(|(c, _)| *c == column)
            .and_then(|(_, i)| fields.get(*i))
            .map_or("", |v| v.trim())
    }

    /// The English name of a column, for messages.
    pub fn name(&self, column: C) -> &'static str {
        english(self.names, column)
    }

    /// A row must have as many fields as the header (trailing empty fields, which
    /// spreadsheets drop or add, do not count).
    pub fn check_width(&self, fields: &[String]) -> Result<(), Problem> {
        let used = fields
            .iter()
            .rposition(|f| !f.trim().is_empty())
            .map_or(0, |i| i + 1);
        if used > self.width {
            return Err(Problem::new(
                format!("这一行有 {used} 栏，表头只有 {} 栏", self.width),
                format!("{used} fields, but the header has {}", self.width),
            ));
        }
        Ok(())
    }
}

fn lookup<C: Copy>(names: &[ColumnNames<C>], name: &str) -> Option<C> {
    names
        .iter()
        .find(|(_, en, zh)| en.eq_ignore_ascii_case(name) || zh.contains(&name))
        .map(|(c, _, _)| *c)
}

fn english<C: PartialEq>(names: &[ColumnNames<C>], column: C) -> &'static str {
    names
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or("?", |(_, en, _)| en)
}

fn chinese<C: PartialEq>(names: &[ColumnNames<C>], column: C) -> &'static str {
    names
        .iter()
        .find(|(c, _, _)| *c == column)
        .and_then(|(_, _, zh)| zh.first().copied())
        .unwrap_or("?")
}

fn expected_zh<C>(names: &[ColumnNames<C>]) -> String {
    let names: Vec<&str> = names
        .iter()
        .filter_map(|(_, _, zh)| zh.first().copied())
        .collect();
    names.join("、")
}

fn expected<C>(names: &[ColumnNames<C>]) -> String {
    let names: Vec<&str> = names.iter().map(|(_, en, _)| *en).collect();
    names.join(", ")
}
