//! The columns of both exports: Chinese headers, and values with Chinese labels for the
//! schema's enumerations and local times (UTC+8). Communities, stations and claimants are
//! named; their ids follow only in the last columns, for tracing a row.

use std::str::FromStr;

use wish_client_core::model::{Channel, CloseReason, Module, Urgency, WishStatus};

use crate::aggregate::{format_local, WishItem};
use crate::http::office::names::Names;

pub const HEADERS: [&str; 22] = [
    "标题",
    "社区",
    "驿站",
    "模块",
    "状态",
    "渠道",
    "紧急程度",
    "创建时间",
    "发布时间",
    "认领时间",
    "派单时间",
    "解决时间",
    "销号时间",
    "销号原因",
    "认领方",
    "服务时长（小时）",
    "评分",
    "心愿编号",
    "社区编号",
    "驿站编号",
    "认领方编号",
    "文档编号",
];

/// One cell of an export.
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn time(ms: Option<u64>) -> Cell {
    ms.map_or(Cell::Empty, |ms| text(format_local(ms)))
}

/// The Chinese label of an enumeration value, or the value itself if unknown.
fn label<T: FromStr>(value: &str, label_zh: fn(T) -> &'static str) -> Cell {
    text(value.parse().map(label_zh).unwrap_or(value))
}

pub fn status(value: &str) -> Cell {
    const ALL: [WishStatus; 10] = crate::aggregate::WISH_STATUSES;
    let found = ALL.iter().find(|s| s.as_str() == value);
    text(found.map_or(value, |s| s.label_zh()))
}

pub fn cells(w: &WishItem, names: &Names) -> [Cell; 22] {
    let claimants: Vec<String> = w
        .claimants
        .iter()
        .map(|c| names.member(&w.community, c))
        .collect();
    [
        text(&w.title),
        text(names.community(&w.community)),
        text(names.station(&w.community, &w.station)),
        w.module
            .as_deref()
            .map_or(text("未分流"), |m| label(m, Module::label_zh)),
        status(&w.status),
        label(&w.channel, Channel::label_zh),
        label(&w.urgency, Urgency::label_zh),
        time(Some(w.created_at)),
        time(w.published_at),
        time(w.first_claim_at),
        time(w.assigned_at),
        time(w.resolved_at),
        time(w.closed_at),
        w.close_reason
            .as_deref()
            .map_or(Cell::Empty, |r| label(r, CloseReason::label_zh)),
        text(claimants.join("、")),
        Cell::Number(w.hours),
        w.rating.map_or(Cell::Empty, |r| Cell::Number(f64::from(r))),
        text(&w.id),
        text(&w.community),
        text(&w.station),
        text(w.claimants.join("、")),
        text(&w.doc_id),
    ]
}

/// Text a spreadsheet would run as a formula gets a leading apostrophe.
pub fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
