//! The tests' HTTP client: `ureq` (blocking, small, no TLS needed against a local server),
//! wrapped so a test reads the status and body of any answer, error statuses included.

use std::time::Duration;

use ureq::http::{Method, Request};
use ureq::Agent;

/// A response: status code and body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::from_slice(&self.body)?)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method path` to `addr` with an optional bearer token and JSON body.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&serde_json::Value>,
) -> anyhow::Result<Response> {
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let content_type = body.map(|_| "application/json");
    request_bytes(addr, method, path, token, content_type, payload.as_bytes())
}

/// Sends `method path` with a raw body (a file upload) of `content_type`.
pub fn request_bytes(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    payload: &[u8],
) -> anyhow::Result<Response> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes())?)
        .uri(format!("http://{addr}{path}"));
    if let Some(token) = token {
        builder = builder.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(content_type) = content_type {
        builder = builder.header("Content-Type", content_type);
    }
    let mut answer = agent().run(builder.body(payload)?)?;
    // Exports can be large; the tests' servers are local and trusted.
    let body = answer
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()?;
    Ok(Response {
        status: answer.status().as_u16(),
        body,
    })
}

/// One agent per request, as the tests never reuse a connection: an error status is an
/// answer to read, not an error, and no request waits longer than 30 s.
fn agent() -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}
