//! The columns of a wish-card file and how the header row names them.

use crate::import::header::{ColumnNames, Header};
use crate::import::Problem;

/// One column of a wish-card file.
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
pub const NAMES: &[ColumnNames<Column>] = &[
    (Column::Station, "station", &["驿站", "站点"]),
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

/// Reads the header row of a wish-card file (`title` and `collected_by` required).
pub fn parse_header(fields: &[String]) -> Result<Header<Column>, Problem> {
    Header::parse(fields, NAMES, &[Column::Title, Column::CollectedBy])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_and_chinese_headers_in_any_order() {
        let header = parse_header(&strings(&["收集人", "Title", "phone"])).unwrap();
        let row = strings(&[" p1 ", "路由器", "13800000001"]);
        assert_eq!(header.get(&row, Column::CollectedBy), "p1");
        assert_eq!(header.get(&row, Column::Title), "路由器");
        assert_eq!(header.get(&row, Column::Room), "");
    }

    #[test]
    fn unknown_repeated_and_missing_columns_are_refused() {
        assert!(parse_header(&strings(&["title", "collected_by", "mood"]))
            .unwrap_err()
            .en
            .starts_with("unknown column \"mood\""));
        assert!(parse_header(&strings(&["title", "标题", "collected_by"])).is_err());
        assert_eq!(
            parse_header(&strings(&["title"])).unwrap_err(),
            Problem::new("缺少“收集人”栏", "missing column collected_by")
        );
    }
}
