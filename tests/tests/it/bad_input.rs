//! Bad input closes only the offending connection; other peers keep syncing. Upgrades
//! without a valid token are refused with 401.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{connect_async, connect_async_with_config};
use wish_client_core::proto::{encode, PeerId, WireMessage};
use wish_tests::clients::{client, create_list_doc, push_item, wait_for_items, SYNC_TIMEOUT};
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn raw_socket(url: &str) -> anyhow::Result<Socket> {
    // Our own client must be able to send a frame bigger than the server allows.
    let config = WebSocketConfig::default()
        .max_message_size(None)
        .max_frame_size(None);
    let (socket, _) = connect_async_with_config(url, Some(config), false).await?;
    Ok(socket)
}

async fn joined_socket(url: &str, peer: &str) -> anyhow::Result<Socket> {
    let mut socket = raw_socket(url).await?;
    let join = WireMessage::Join {
        sender_id: PeerId::new(peer),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: None,
    };
    socket.send(Message::Binary(encode(&join).into())).await?;
    let reply = tokio::time::timeout(Duration::from_secs(5), socket.next()).await?;
    anyhow::ensure!(
        matches!(reply, Some(Ok(Message::Binary(_)))),
        "no peer reply: {reply:?}"
    );
    Ok(socket)
}

/// Waits until the server closes the socket; returns the close frame's reason if any.
async fn closed_by_server(socket: &mut Socket) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => anyhow::bail!("server did not close the connection"),
            Ok(None) => return Ok(String::new()),
            Ok(Some(Err(e))) => return Ok(e.to_string()),
            Ok(Some(Ok(Message::Close(frame)))) => {
                return Ok(frame.map(|f| f.reason.to_string()).unwrap_or_default())
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_frames_close_only_the_offending_connection() -> anyhow::Result<()>
{
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let url = server.ws_url();
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    let healthy = client(&url, dir_a.path(), false).await?;
    let watcher = client(&url, dir_b.path(), false).await?;
    let doc = create_list_doc(&healthy).await?;
    healthy.wait_saved(doc, SYNC_TIMEOUT).await?;
    watcher.open(doc).await?;

    let join = encode(&WireMessage::Join {
        sender_id: PeerId::new("x"),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: None,
    });
    let cases: Vec<(&str, Message)> = vec![
        (
            "random bytes",
            Message::Binary(vec![0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00, 0xff].into()),
        ),
        (
            "truncated CBOR",
            Message::Binary(join[..join.len() / 2].to_vec().into()),
        ),
        ("text frame", Message::Text("{\"type\":\"join\"}".into())),
        (
            "80 MiB frame",
            Message::Binary(vec![0xa1; 80 * 1024 * 1024].into()),
        ),
    ];
    let mut expected = Vec::new();
    for (i, (name, frame)) in cases.into_iter().enumerate() {
        let mut bad = joined_socket(&url, &format!("bad-{i}")).await?;
        // A broken pipe while sending the 80 MiB frame is the server closing early.
        let _ = bad.send(frame).await;
        let reason = closed_by_server(&mut bad).await?;
        eprintln!("{name}: closed ({reason})");
        let item = format!("after {name}");
        push_item(&healthy, doc, item.clone()).await?;
        expected.push(item);
        wait_for_items(&watcher, doc, &expected)
            .await
            .map_err(|e| anyhow::anyhow!("after {name}: {e}"))?;
    }
    healthy.wait_saved(doc, SYNC_TIMEOUT).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_before_join_is_refused_with_an_error() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let mut socket = raw_socket(&server.ws_url()).await?;
    let sync = WireMessage::DocUnavailable {
        sender_id: PeerId::new("early"),
        target_id: PeerId::new("server"),
        document_id: wish_client_core::proto::DocumentId::from_bytes([1; 16]),
    };
    socket.send(Message::Binary(encode(&sync).into())).await?;
    let first = tokio::time::timeout(Duration::from_secs(5), socket.next()).await?;
    let Some(Ok(Message::Binary(bytes))) = first else {
        anyhow::bail!("expected an error message, got {first:?}")
    };
    let message = wish_client_core::proto::decode(&bytes)?;
    assert!(
        matches!(message, WireMessage::Error { ref message, .. } if message.contains("join")),
        "{message:?}"
    );
    closed_by_server(&mut socket).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrades_without_a_valid_token_get_401() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    for url in [
        format!("ws://{}/sync", server.addr),
        format!("ws://{}/sync?token=", server.addr),
        format!("ws://{}/sync?token=wrong", server.addr),
    ] {
        let request = url.as_str().into_client_request()?;
        match connect_async(request).await {
            Err(WsError::Http(response)) => assert_eq!(response.status(), 401, "{url}"),
            other => anyhow::bail!(
                "{url}: expected 401, got {:?}",
                other.map(|_| "a connection")
            ),
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_origins_outside_the_allow_list_are_refused() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start_with_args(
        BIN,
        &data.path().join("server"),
        &["--allowed-origin", "https://tablet.example"],
    )?;
    for (origin, allowed) in [
        ("https://tablet.example", true),
        ("https://evil.example", false),
    ] {
        let mut request = server.ws_url().into_client_request()?;
        request.headers_mut().insert("Origin", origin.parse()?);
        match connect_async(request).await {
            Ok(_) => assert!(allowed, "{origin} was let in"),
            Err(WsError::Http(response)) => {
                assert!(!allowed, "{origin} was refused");
                assert_eq!(response.status(), 403);
            }
            Err(other) => anyhow::bail!("{origin}: {other}"),
        }
    }
    // Native clients send no Origin at all.
    assert!(connect_async(server.ws_url()).await.is_ok());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_upgrades_from_one_device_get_429() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start_with_args(
        BIN,
        &data.path().join("server"),
        &["--upgrades-per-minute", "3"],
    )?;
    // The administrator's token is exempt (tools); an enrolled device is not.
    let (token, _) = wish_tests::fixtures::enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let url = format!("ws://{}/sync?token={token}", server.addr);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(match connect_async(url.as_str()).await {
            Ok(_) => 101,
            Err(WsError::Http(response)) => response.status().as_u16(),
            Err(other) => anyhow::bail!("{other}"),
        });
    }
    assert_eq!(&statuses[..3], &[101, 101, 101], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    Ok(())
}
