//! The XLSX export, written with `rust_xlsxwriter` in constant-memory mode (rows go to a
//! temporary file as they are written).

use std::sync::PoisonError;

use axum::http::StatusCode;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::columns::{cells, Cell, HEADERS};
use super::CHUNK;
use crate::aggregate::SharedIndex;
use crate::http::api::ApiError;
use crate::http::office::names::Names;

/// Excel's row limit less the header row.
const MAX_ROWS: usize = 1_048_575;

const WIDTHS: [f64; 22] = [
    28.0, 14.0, 12.0, 8.0, 8.0, 10.0, 9.0, 17.0, 17.0, 17.0, 17.0, 17.0, 17.0, 12.0, 20.0, 10.0,
    6.0, 34.0, 30.0, 12.0, 14.0, 30.0,
];

pub fn workbook(shared: &SharedIndex, rows: &[u32], names: &Names) -> Result<Vec<u8>, ApiError> {
    if rows.len() > MAX_ROWS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "{} wishes exceed Excel's {MAX_ROWS} rows; narrow the filters or use wishes.csv",
                rows.len()
            ),
        ));
    }
    build(shared, rows, names).map_err(|error| {
        tracing::error!(%error, "writing the XLSX export failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not write the workbook",
        )
    })
}

fn build(shared: &SharedIndex, rows: &[u32], names: &Names) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("心愿清单")?;
    let bold = Format::new().set_bold();
    for (col, (header, width)) in (0u16..).zip(HEADERS.iter().zip(WIDTHS)) {
        sheet.write_string_with_format(0, col, *header, &bold)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    for chunk in rows.chunks(CHUNK) {
        let items = shared
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .items(chunk);
        for item in &items {
            for (col, cell) in (0u16..).zip(cells(item, names)) {
                match cell {
                    Cell::Text(t) => sheet.write_string(row, col, t)?,
                    Cell::Number(n) => sheet.write_number(row, col, n)?,
                    Cell::Empty => sheet,
                };
            }
            row += 1;
        }
    }
    workbook.save_to_buffer()
}

/// A one-sheet workbook of `rows` under bold `headers` (service records, the ledger).
pub fn table(sheet_name: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ApiError> {
    let write = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(sheet_name)?;
        let bold = Format::new().set_bold();
        for (col, header) in (0u16..).zip(headers) {
            sheet.write_string_with_format(0, col, *header, &bold)?;
            sheet.set_column_width(col, 16.0)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (row, cells) in (1u32..).zip(rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    Cell::Text(t) => sheet.write_string(row, col, t)?,
                    Cell::Number(n) => sheet.write_number(row, col, *n)?,
                    Cell::Empty => sheet,
                };
            }
        }
        workbook.save_to_buffer()
    };
    write().map_err(|error| {
        tracing::error!(%error, "writing an XLSX export failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not write the workbook",
        )
    })
}
