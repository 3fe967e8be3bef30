//! The central office's dashboard at `/office`: static HTML, CSS and JavaScript (from
//! `wasm/app/office/`, embedded in the binary) that call the office API with the device
//! token of the enrolled office computer, and the printable monthly report at
//! `/office/report`. The page itself is public; every figure comes from `/api/v1/office/*`,
//! which checks the token.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::AppState;

const INDEX_HTML: &str = include_str!("../../../wasm/app/office/index.html");

/// The printable monthly report (`/office/report?month=YYYY-MM`); its figures come from
/// `/api/v1/office/report`.
const REPORT_HTML: &str = include_str!("../../../wasm/app/office/report.html");

/// The assets under `/office/`: name, content type, contents.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "office.css",
        "text/css; charset=utf-8",
        include_str!("../../../wasm/app/office/office.css"),
    ),
    (
        "office.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../wasm/app/office/office.js"),
    ),
    (
        "report.css",
        "text/css; charset=utf-8",
        include_str!("../../../wasm/app/office/report.css"),
    ),
    (
        "report.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../wasm/app/office/report.js"),
    ),
];

/// Everything the page loads comes from this server; the API is same-origin.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /office`, `GET /office/` and `GET /office/{asset}`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office", get(index))
        .route("/office/", get(|| async { Redirect::permanent("/office") }))
        .route("/office/index.html", get(index))
        .route("/office/report", get(report))
        .route("/office/{asset}", get(asset))
}

async fn index() -> Response {
    serve("text/html; charset=utf-8", INDEX_HTML)
}

async fn report() -> Response {
    serve("text/html; charset=utf-8", REPORT_HTML)
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(asset, _, _)| *asset == name) {
        Some((_, content_type, body)) => serve(content_type, body),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn serve(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        body,
    )
        .into_response()
}
