//! Parsing the cells of an import file: English codes or Chinese labels, lists, yes/no,
//! stations by name.

use wish_client_core::model::{Channel, CommunityView, Module, Urgency};

use super::Problem;

/// Urgency: a code, or one of 低/普通/高/紧急 (also the UI labels 不急/一般/较急).
pub fn urgency(cell: &str) -> Result<Urgency, Problem> {
    if cell.is_empty() {
        return Ok(Urgency::Normal);
    }
    let zh = match cell {
        "低" | "不急" => Some(Urgency::Low),
        "普通" | "一般" | "中" => Some(Urgency::Normal),
        "高" | "较急" => Some(Urgency::High),
        "紧急" | "急" => Some(Urgency::Urgent),
        _ => None,
    };
    zh.or_else(|| code(cell))
        .ok_or_else(|| unknown("urgency", cell, Urgency::ALL, "低/普通/高/紧急"))
}

/// Channel: a code or its Chinese label; empty means `wish_box` (paper cards).
pub fn channel(cell: &str) -> Result<Channel, Problem> {
    if cell.is_empty() {
        return Ok(Channel::WishBox);
    }
    let labels = zh_labels(Channel::ALL, Channel::label_zh);
    let zh = match cell {
        "上门" | "入户" => Some(Channel::DoorToDoor),
        "网格" => Some(Channel::GridVisit),
        "到站" | "来访" => Some(Channel::WalkIn),
        _ => Channel::ALL.iter().copied().find(|c| c.label_zh() == cell),
    };
    zh.or_else(|| code(cell))
        .ok_or_else(|| unknown("channel", cell, Channel::ALL, &labels))
}

/// Suggested module: empty, a code, or a Chinese label (`法律` or `法律模块`).
pub fn module(cell: &str) -> Result<Option<Module>, Problem> {
    if cell.is_empty() {
        return Ok(None);
    }
    let label = cell.strip_suffix("模块").unwrap_or(cell);
    let zh = Module::ALL.iter().copied().find(|m| m.label_zh() == label);
    let labels = zh_labels(Module::ALL, Module::label_zh);
    zh.or_else(|| code(cell))
        .map(Some)
        .ok_or_else(|| unknown("suggested_module", cell, Module::ALL, &labels))
}

/// Consent: yes/no/是/否 (also y/n, true/false, 1/0, 同意/不同意); empty means no.
pub fn consent(cell: &str) -> Result<bool, Problem> {
    yes_no("consent", cell)
}

/// A yes/no cell named `what`: yes/no/是/否 (also y/n, true/false, 1/0, 同意/不同意);
/// empty means no.
pub fn yes_no(what: &str, cell: &str) -> Result<bool, Problem> {
    match cell.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "是" | "同意" => Ok(true),
        "" | "no" | "n" | "false" | "0" | "否" | "不同意" => Ok(false),
        _ => Err(Problem::new(
            format!("{}“{cell}”应填 是 或 否", column_zh(what)),
            format!("unknown {what} {cell:?}; expected yes, no, 是 or 否"),
        )),
    }
}

/// The items of a list cell, separated by 、 , ， ; ； / or spaces.
pub fn list(cell: &str) -> Vec<String> {
    cell.split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；' | '/') || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The id of the community's station named by `wanted` (its id or its unique name).
pub fn station_id(community: &CommunityView, wanted: &str) -> Result<String, Problem> {
    let stations = &community.stations;
    if stations.contains_key(wanted) {
        return Ok(wanted.to_owned());
    }
    let by_name: Vec<&String> = stations
        .iter()
        .filter(|(_, s)| s.name == wanted)
        .map(|(id, _)| id)
        .collect();
    match by_name.as_slice() {
        [id] => Ok((*id).clone()),
        [] => {
            let known: Vec<String> = stations.values().map(|s| s.name.clone()).collect();
            Err(Problem::new(
                format!("没有叫“{wanted}”的驿站，本社区的驿站：{}", known.join("、")),
                format!(
                    "unknown station {wanted:?}; expected one of {}",
                    known.join(", ")
                ),
            ))
        }
        _ => Err(Problem::new(
            format!("驿站名称“{wanted}”不止一个"),
            format!("station name {wanted:?} is not unique"),
        )),
    }
}

/// A phone number: 5 to 20 digits, spaces, dashes or a leading plus.
pub fn phone(cell: &str) -> Result<(), Problem> {
    let digits = cell.chars().filter(char::is_ascii_digit).count();
    let allowed = cell
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+'));
    if cell.is_empty() || (allowed && (5..=20).contains(&digits)) {
        Ok(())
    } else {
        Err(Problem::new(
            format!("电话“{cell}”不是电话号码，应为 5 到 20 位数字"),
            format!("phone {cell:?} is not a phone number; use 5 to 20 digits"),
        ))
    }
}

fn code<T: std::str::FromStr>(cell: &str) -> Option<T> {
    cell.to_ascii_lowercase().parse().ok()
}

fn zh_labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> String {
    let labels: Vec<&str> = all.iter().map(|v| label(*v)).collect();
    labels.join("/")
}

fn unknown<T: std::fmt::Display>(what: &str, cell: &str, all: &[T], zh: &str) -> Problem {
    let codes: Vec<String> = all.iter().map(ToString::to_string).collect();
    let (last, rest) = codes
        .split_last()
        .map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
    Problem::new(
        format!("{}“{cell}”无法识别，应为 {zh}", column_zh(what)),
        format!(
            "unknown {what} {cell:?}; expected {}, {last} or {zh}",
            rest.join(", ")
        ),
    )
}

/// The Chinese name of a column named in a message.
fn column_zh(what: &str) -> &str {
    match what {
        "urgency" => "紧急程度",
        "channel" => "渠道",
        "suggested_module" => "模块",
        "consent" => "同意联系",
        "party_member" => "党员",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_chinese_labels_parse() {
        assert_eq!(urgency("紧急"), Ok(Urgency::Urgent));
        assert_eq!(urgency("HIGH"), Ok(Urgency::High));
        assert_eq!(urgency(""), Ok(Urgency::Normal));
        assert_eq!(channel("上门收集"), Ok(Channel::DoorToDoor));
        assert_eq!(channel(""), Ok(Channel::WishBox));
        assert_eq!(module("法律模块"), Ok(Some(Module::Law)));
        assert_eq!(module("medical"), Ok(Some(Module::Medical)));
        assert_eq!(consent("是"), Ok(true));
        assert_eq!(consent("No"), Ok(false));
    }

    #[test]
    fn unknown_values_name_every_accepted_value() {
        assert_eq!(
            urgency("很急").unwrap_err().zh,
            "紧急程度“很急”无法识别，应为 低/普通/高/紧急"
        );
        assert_eq!(
            urgency("很急").unwrap_err().en,
            "unknown urgency \"很急\"; expected low, normal, high, urgent or 低/普通/高/紧急"
        );
        assert_eq!(
            module("x").unwrap_err().en,
            "unknown suggested_module \"x\"; expected law, psychology, medical, employment, \
             comprehensive or 法律/心理/医疗/就业/综合"
        );
        assert!(phone("打电话").is_err());
        assert_eq!(
            list("法律、心理, 医疗；就业"),
            vec!["法律", "心理", "医疗", "就业"]
        );
        assert!(list("  ").is_empty());
        assert!(phone("138-0000-0001").is_ok());
    }
}
