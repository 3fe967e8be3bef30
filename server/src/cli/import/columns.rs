//! The columns of an import file and how the header row names them.

/// One column of the import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Station,
    Title,
    Text,
    Channel,
    Compound,
    Building,
    Urgency,
    SuggestedModule,
    ResidentName,
    Phone,
    Room,
    Consent,
    CollectedBy,
    CollectedOn,
}

/// Every column with its English header and the Chinese headers also accepted.
const NAMES: &[(Column, &str, &[&str])] = &[
    (Column::Station, "station", &["驿站"]),
    (Column::Title, "title", &["标题", "心愿"]),
    (Column::Text, "text", &["内容", "心愿内容"]),
    (Column::Channel, "channel", &["渠道", "收集渠道"]),
    (Column::Compound, "compound", &["小区"]),
    (Column::Building, "building", &["楼栋"]),
    (Column::Urgency, "urgency", &["紧急程度"]),
    (
        Column::SuggestedModule,
        "suggested_module",
        &["建议模块", "模块"],
    ),
    (Column::ResidentName, "resident_name", &["居民姓名", "姓名"]),
    (Column::Phone, "phone", &["电话", "联系电话"]),
    (Column::Room, "room", &["房号"]),
    (Column::Consent, "consent", &["同意联系"]),
    (Column::CollectedBy, "collected_by", &["收集人"]),
    (Column::CollectedOn, "collected_on", &["收集日期"]),
];

/// Which field of a record holds which column.
#[derive(Debug)]
pub struct Header {
    positions: Vec<(Column, usize)>,
    pub width: usize,
}

impl Header {
    /// Reads the header row. Refuses unknown or repeated names and a missing `title` or
    /// `collected_by` column.
    pub fn parse(fields: &[String]) -> Result<Self, String> {
        let mut positions = Vec::new();
        for (i, name) in fields.iter().enumerate() {
            let column = lookup(name.trim())
                .ok_or_else(|| format!("unknown column {:?}; expected {}", name, expected()))?;
            if positions.iter().any(|(c, _)| *c == column) {
                return Err(format!("column {name:?} appears twice"));
            }
            positions.push((column, i));
        }
        for required in [Column::Title, Column::CollectedBy] {
            if !positions.iter().any(|(c, _)| *c == required) {
                return Err(format!("missing column {}", english(required)));
            }
        }
        Ok(Self {
            positions,
            width: fields.len(),
        })
    }

    /// The trimmed value of `column` in a record, empty if the file has no such column.
    pub fn get<'a>(&self, fields: &'a [String], column: Column) -> &'a str {
        self.positions
            .iter()
            .find(|(c, _)| *c == column)
            .and_then(|(_, i)| fields.get(*i))
            .map_or("", |v| v.trim())
    }
}

fn lookup(name: &str) -> Option<Column> {
    NAMES
        .iter()
        .find(|(_, en, zh)| en.eq_ignore_ascii_case(name) || zh.contains(&name))
        .map(|(c, _, _)| *c)
}

fn english(column: Column) -> &'static str {
    NAMES
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or("?", |(_, en, _)| en)
}

fn expected() -> String {
    let names: Vec<&str> = NAMES.iter().map(|(_, en, _)| *en).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_and_chinese_headers_in_any_order() {
        let header = Header::parse(&strings(&["收集人", "Title", "phone"])).unwrap();
        let row = strings(&[" p1 ", "路由器", "13800000001"]);
        assert_eq!(header.get(&row, Column::CollectedBy), "p1");
        assert_eq!(header.get(&row, Column::Title), "路由器");
        assert_eq!(header.get(&row, Column::Room), "");
    }

    #[test]
    fn unknown_repeated_and_missing_columns_are_refused() {
        assert!(Header::parse(&strings(&["title", "collected_by", "mood"]))
            .unwrap_err()
            .starts_with("unknown column \"mood\""));
        assert!(Header::parse(&strings(&["title", "标题", "collected_by"])).is_err());
        assert_eq!(
            Header::parse(&strings(&["title"])).unwrap_err(),
            "missing column collected_by"
        );
    }
}
