//! The street office's console at `/office` and its printable monthly report at
//! `/office/report`: the TypeScript pages `scripts/build-app.sh` bundles into
//! `wasm/app/dist/office/` (from `wasm/app/office/`), read from the app directory on each
//! request like the tablet app, so a rebuilt console needs no server restart. The pages
//! are public; every figure comes from `/api/v1/office/*`, which checks the token.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::AppState;

/// The office pages' files: name under `dist/office/`, content type.
const FILES: &[(&str, &str)] = &[
    ("index.html", "text/html; charset=utf-8"),
    ("report.html", "text/html; charset=utf-8"),
    ("console.js", "text/javascript; charset=utf-8"),
    ("report.js", "text/javascript; charset=utf-8"),
    ("console.js.map", "application/json"),
    ("report.js.map", "application/json"),
    ("office.css", "text/css; charset=utf-8"),
    ("report.css", "text/css; charset=utf-8"),
];

/// Everything the page loads comes from this server; the API is same-origin. Chart.js
/// sizes its canvas through the style property (CSSOM), which `style-src 'self'` allows.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /office`, `GET /office/`, `GET /office/report` and `GET /office/{file}`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office", get(index))
        .route("/office/", get(|| async { Redirect::permanent("/office") }))
        .route("/office/report", get(report))
        .route("/office/{file}", get(file))
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    serve(&state, "index.html").await
}

async fn report(State(state): State<Arc<AppState>>) -> Response {
    serve(&state, "report.html").await
}

async fn file(State(state): State<Arc<AppState>>, UrlPath(name): UrlPath<String>) -> Response {
    serve(&state, &name).await
}

/// One of [`FILES`] from the app directory's `office/`; 404 for any other name.
async fn serve(state: &AppState, name: &str) -> Response {
    let Some((name, content_type)) = FILES.iter().find(|(file, _)| *file == name) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let Some(dir) = state.app_dir.as_deref().map(office_dir) else {
        return not_built();
    };
    match tokio::fs::read(dir.join(name)).await {
        Ok(body) => respond(content_type, body),
        Err(_) => not_built(),
    }
}

fn office_dir(app_dir: &Path) -> PathBuf {
    app_dir.join("office")
}

fn respond(content_type: &'static str, body: Vec<u8>) -> Response {
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

fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "街道工作台尚未构建：请运行 ./scripts/build-app.sh\n\
         The office console is not built: run ./scripts/build-app.sh\n",
    )
        .into_response()
}
