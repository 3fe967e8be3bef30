//! The monthly report as a workbook: one sheet per table (概况, 按服务模块, 按驿站,
//! 志愿服务), with `rust_xlsxwriter`.

use axum::http::StatusCode;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::figures::{Figures, MonthReport};
use crate::http::api::ApiError;

/// A cell of a report sheet.
enum Value {
    Text(String),
    Number(f64),
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn num(n: f64) -> Value {
    Value::Number(n)
}

/// A count of any integer type (beyond u32::MAX, which no district reaches, it shows as that).
fn count(n: impl TryInto<u32>) -> Value {
    Value::Number(n.try_into().map_or(f64::from(u32::MAX), f64::from))
}

pub fn build(report: &MonthReport) -> Result<Vec<u8>, ApiError> {
    write(report).map_err(|error| {
        tracing::error!(%error, "writing the monthly report failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not write the workbook",
        )
    })
}

fn write(report: &MonthReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let title = format!("{} {} 心愿驿站工作报告", report.scope_name, report.label);
    sheet(
        &mut workbook,
        "概况",
        &title,
        &["指标", "数值"],
        key_rows(&report.figures),
    )?;
    let modules = report
        .by_module
        .iter()
        .map(|m| vec![text(&m.label), count(m.collected), count(m.resolved)])
        .collect();
    sheet(
        &mut workbook,
        "按服务模块",
        &title,
        &["服务模块", "新收集", "已解决"],
        modules,
    )?;
    let stations = report
        .by_station
        .iter()
        .map(|s| {
            vec![
                text(&s.community),
                text(&s.station),
                count(s.collected),
                count(s.resolved),
                count(s.shifts),
                count(s.shifts_covered),
            ]
        })
        .collect();
    let station_headers = ["社区", "驿站", "新收集", "已解决", "排班", "已安排"];
    sheet(&mut workbook, "按驿站", &title, &station_headers, stations)?;
    let volunteers = report
        .volunteers
        .iter()
        .map(|v| {
            let party = if v.party_member { "是" } else { "否" };
            vec![
                text(&v.name),
                text(&v.community),
                text(party),
                count(v.records),
                num(v.hours),
            ]
        })
        .collect();
    let volunteer_headers = ["志愿者姓名", "社区", "党员", "服务记录", "服务时长（小时）"];
    sheet(
        &mut workbook,
        "志愿服务",
        &title,
        &volunteer_headers,
        volunteers,
    )?;
    workbook.save_to_buffer()
}

/// The key figures as `(label, value)` rows.
fn key_rows(f: &Figures) -> Vec<Vec<Value>> {
    let mut rows = vec![
        ("新收集心愿（件）", count(f.collected)),
        ("认领（件）", count(f.claimed)),
        ("解决（件）", count(f.resolved)),
        ("销号（件）", count(f.closed)),
        ("超时未办（件）", count(f.overdue)),
        ("需求清单（条，待办）", count(f.needs_open)),
        ("资源清单（条）", count(f.offers)),
        ("项目清单（个）", count(f.projects)),
        ("已完成项目（个）", count(f.projects_done)),
        ("本月新建项目（个）", count(f.projects_new)),
        ("服务记录（条）", count(f.service_records)),
        ("服务时长（小时）", num(f.hours)),
        ("参与志愿者（人）", count(f.volunteers)),
        ("其中党员（人）", count(f.party_volunteers)),
        ("党员服务时长（小时）", num(f.party_hours)),
        ("评价（条）", count(f.rated)),
        ("排班（班次）", count(f.shifts)),
        ("已安排（班次）", count(f.shifts_covered)),
    ];
    if let Some(average) = f.average_rating {
        rows.push(("平均评分", num(average)));
    }
    if let Some(percent) = f.coverage_percent {
        rows.push(("排班覆盖率（%）", num(percent)));
    }
    rows.into_iter()
        .map(|(label, value)| vec![text(label), value])
        .collect()
}

fn sheet(
    workbook: &mut Workbook,
    name: &str,
    title: &str,
    headers: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, title, &bold)?;
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(2, col, *header, &bold)?;
        sheet.set_column_width(col, if col == 0 { 24.0 } else { 14.0 })?;
    }
    for (row, cells) in (3u32..).zip(rows) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Value::Text(t) => sheet.write_string(row, col, t)?,
                Value::Number(n) => sheet.write_number(row, col, n)?,
            };
        }
    }
    Ok(())
}
