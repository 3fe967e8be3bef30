//! `GET /metrics`: no authentication (it holds counts only, no identifiers); keep it off
//! the public internet at the reverse proxy if counts are sensitive.

use axum::http::header;
use axum::response::IntoResponse;

/// The content type of the OpenMetrics text format (Prometheus scrapes it).
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub async fn handler() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        super::render(super::global()),
    )
}
