//! The columns of a people file and how the header row names them.

use crate::import::header::{ColumnNames, Header};
use crate::import::Problem;

/// One column of a people file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Kind,
    Modules,
    Skills,
    PartyMember,
    Unit,
    Stations,
}

/// Every column with its English header and the Chinese headers also accepted.
pub const NAMES: &[ColumnNames<Column>] = &[
    (Column::Name, "name", &["姓名"]),
    (Column::Kind, "kind", &["类别", "身份", "人员类别"]),
    (Column::Modules, "modules", &["模块", "服务模块"]),
    (Column::Skills, "skills", &["技能", "特长", "技能特长"]),
    (Column::PartyMember, "party_member", &["党员", "是否党员"]),
    (Column::Unit, "unit", &["单位", "共建单位", "工作单位"]),
    (Column::Stations, "stations", &["驿站", "站点"]),
];

/// Reads the header row of a people file (`name` required).
pub fn parse_header(fields: &[String]) -> Result<Header<Column>, Problem> {
    Header::parse(fields, NAMES, &[Column::Name])
}
