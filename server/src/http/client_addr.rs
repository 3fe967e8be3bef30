//! The client's address, and throttling of failed authentication by it.
//!
//! Behind the README's reverse proxy every request comes from the proxy's address, so the
//! client's address is taken from the header the proxy sets, but only when the operator
//! names that header (`--trusted-proxy-header X-Forwarded-For`); otherwise such headers
//! are ignored, since any client can send them. The proxy appends the address it saw, so
//! the last entry is the one to trust.
//!
//! Every `/api` and `/sync` request passes [`throttle_failed_auth`]: an address whose
//! failed authentications (401 answers) exceeded `--auth-failures-per-minute` gets 429
//! until its budget refills, whatever token it sends next.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, Limits};

/// The client's address as `throttle_failed_auth` determined it; an extension of every
/// request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client's address: from the trusted proxy header when configured and present,
/// else the socket's.
pub fn client_ip(limits: &Limits, headers: &HeaderMap, socket: Option<SocketAddr>) -> IpAddr {
    let socket_ip = socket.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |s| s.ip());
    let Some(name) = &limits.trusted_proxy_header else {
        return socket_ip;
    };
    headers
        .get_all(name.as_str())
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(socket_ip)
}

/// Middleware: records the client's address and throttles its failed authentications.
pub async fn throttle_failed_auth(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let socket = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client_ip(&state.limits, request.headers(), socket);
    request.extensions_mut().insert(ClientAddr(ip));
    let path = request.uri().path();
    if !(path.starts_with("/api/") || path == "/sync") {
        return next.run(request).await;
    }
    let key = ip.to_string();
    if state.auth_failures.exhausted(&key, Instant::now()) {
        tracing::warn!(%ip, "authentication throttled");
        let message = "too many failed authentications from this address; try again later";
        return (StatusCode::TOO_MANY_REQUESTS, message).into_response();
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        let _ = state.auth_failures.acquire(&key, Instant::now());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_proxy_header_counts_only_when_configured_and_its_last_entry_wins() {
        let socket = Some(SocketAddr::from(([127, 0, 0, 1], 9)));
        let forwarded = headers(&["6.6.6.6, 10.0.0.7"]);
        let mut limits = Limits::default();
        assert_eq!(
            client_ip(&limits, &forwarded, socket),
            IpAddr::from([127, 0, 0, 1])
        );
        limits.trusted_proxy_header = Some("X-Forwarded-For".into());
        assert_eq!(
            client_ip(&limits, &forwarded, socket),
            IpAddr::from([10, 0, 0, 7])
        );
        assert_eq!(
            client_ip(&limits, &headers(&["garbage"]), socket),
            IpAddr::from([127, 0, 0, 1])
        );
    }
}
