//! The tablet web app at `/`: the files `scripts/build-app.sh` writes to `wasm/app/dist`
//! (HTML, the bundled script, the wasm client, the service worker, manifest and icons),
//! read from disk on each request so a rebuilt app needs no server restart.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::AppState;

/// Scripts and the wasm client come from this server only; `wasm-unsafe-eval` lets the page
/// compile the wasm client; the sync socket and the API are same-origin.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
                   img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// The app directory to serve: `--app-dir` if given, else `wasm/app/dist` under the
/// working directory or under the source tree the server was built from.
pub fn default_app_dir() -> PathBuf {
    let local = PathBuf::from("wasm/app/dist");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/dist")
}

/// `GET /` and any path no other route takes: a file of the app, or 404.
pub async fn serve(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    let Some(dir) = state.app_dir.clone() else {
        return not_built();
    };
    let Some(relative) = safe_relative(uri.path()) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let path = dir.join(&relative);
    match tokio::fs::read(&path).await {
        Ok(body) => file_response(&relative, body),
        Err(_) if !dir.join("index.html").is_file() => not_built(),
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The request path as a path inside the app directory; `None` for anything that could
/// leave it (`..`, absolute parts).
fn safe_relative(path: &str) -> Option<PathBuf> {
    let trimmed = path.trim_start_matches('/');
    let relative = if trimmed.is_empty() || trimmed.ends_with('/') {
        PathBuf::from(trimmed).join("index.html")
    } else {
        PathBuf::from(trimmed)
    };
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(relative)
}

fn file_response(relative: &Path, body: Vec<u8>) -> Response {
    let content_type = content_type(relative);
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The service worker decides what is cached for offline use; the browser's HTTP cache
    // must always ask, so a new version of the app is seen at the next online start.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "平板应用尚未构建：请运行 ./scripts/build-app.sh\n\
         The tablet app is not built: run ./scripts/build-app.sh\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_app_directory() {
        assert_eq!(safe_relative("/"), Some(PathBuf::from("index.html")));
        assert_eq!(safe_relative("/app.js"), Some(PathBuf::from("app.js")));
        assert_eq!(
            safe_relative("/icons/"),
            Some(PathBuf::from("icons/index.html"))
        );
        assert_eq!(safe_relative("/../secret"), None);
        assert_eq!(safe_relative("/a/../../b"), None);
        assert_eq!(safe_relative("/./x"), None);
    }

    #[test]
    fn the_wasm_client_is_served_as_wasm() {
        assert_eq!(
            content_type(Path::new("wish_wasm_bg.wasm")),
            "application/wasm"
        );
        assert_eq!(
            content_type(Path::new("manifest.webmanifest")),
            "application/manifest+json"
        );
    }
}
