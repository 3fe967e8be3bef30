//! The tower-http layers around every route: a tracing span per request, a time limit for
//! each answer, and gzip for large answers (exports, the dashboard, the app's scripts) to
//! clients that accept it.

use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// How long a handler may take to start its answer. Streamed bodies (the CSV exports) and
/// WebSocket connections, which live on after their upgrade answer, are not limited.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);

/// XLSX workbooks are ZIP archives already: compressing them again costs CPU for nothing.
const XLSX: &str = "application/vnd.openxmlformats";

/// `router` with the layers (the last one added runs first).
pub fn around<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let compress = DefaultPredicate::new().and(NotForContentType::const_new(XLSX));
    router
        .layer(CompressionLayer::new().gzip(true).compress_when(compress))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            ANSWER_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http())
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{header, Request};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    fn router() -> Router {
        let text = "心愿驿站 ".repeat(500);
        around(
            Router::new()
                .route("/report.csv", get(move || async move { text }))
                .route(
                    "/report.xlsx",
                    get(|| async { ([(header::CONTENT_TYPE, XLSX)], vec![7u8; 4096]) }),
                )
                .route(
                    "/slow",
                    get(|| async {
                        tokio::time::sleep(ANSWER_TIMEOUT * 2).await;
                        "late"
                    }),
                ),
        )
    }

    async fn encoding(path: &str) -> Option<String> {
        let request = Request::get(path)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap_or_default();
        let response = router().oneshot(request).await.ok()?;
        let value = response.headers().get(header::CONTENT_ENCODING)?;
        value.to_str().ok().map(str::to_owned)
    }

    #[tokio::test]
    async fn large_answers_are_gzipped_except_workbooks() {
        assert_eq!(encoding("/report.csv").await.as_deref(), Some("gzip"));
        assert_eq!(encoding("/report.xlsx").await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_handler_past_the_time_limit_is_answered_503() {
        let request = Request::get("/slow")
            .body(Body::empty())
            .unwrap_or_default();
        let response = router().oneshot(request).await.map(|r| r.status());
        assert_eq!(response.ok(), Some(StatusCode::SERVICE_UNAVAILABLE));
    }
}
