//! Native-client helpers for tests: documents with a counter map and a shared list.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ROOT};
use wish_client_core::native::{NativeClient, NativeConfig};
use wish_client_core::proto::DocumentId;

/// How long tests wait for sync before failing.
pub const SYNC_TIMEOUT: Duration = Duration::from_secs(20);

/// Starts a native client with local storage in `dir`.
pub async fn client(
    url: &str,
    dir: &std::path::Path,
    offline: bool,
) -> anyhow::Result<NativeClient> {
    let mut config = NativeConfig::new(url);
    config.data_dir = Some(dir.to_owned());
    config.start_offline = offline;
    Ok(NativeClient::start(config).await?)
}

/// Hands a document made elsewhere to the client and waits until the server durably holds
/// it (the client's upload is acknowledged).
pub async fn upload(
    client: &NativeClient,
    id: DocumentId,
    doc: &automerge::Automerge,
) -> anyhow::Result<()> {
    let bytes = doc.save();
    client
        .with_driver(move |d| d.import_document(id, &bytes))
        .await??;
    client.wait_saved(id, SYNC_TIMEOUT).await?;
    Ok(())
}

/// Creates a document with an empty `items` list.
pub async fn create_list_doc(client: &NativeClient) -> anyhow::Result<DocumentId> {
    Ok(client
        .create(|doc| {
            let mut tx = doc.transaction();
            let _ = tx.put_object(ROOT, "items", ObjType::List);
            tx.commit();
        })
        .await?)
}

/// Appends `item` to the document's `items` list.
pub async fn push_item(client: &NativeClient, doc: DocumentId, item: String) -> anyhow::Result<()> {
    client
        .change(doc, move |d| {
            let mut tx = d.transaction();
            if let Ok(Some((_, list))) = tx.get(ROOT, "items") {
                let len = tx.length(&list);
                let _ = tx.insert(&list, len, item);
            }
            tx.commit();
        })
        .await?;
    Ok(())
}

/// The sorted items of the document, or `None` when the client does not hold it or it
/// has no `items` list yet.
pub async fn items(client: &NativeClient, doc: DocumentId) -> anyhow::Result<Option<Vec<String>>> {
    Ok(client.read(doc, read_items_of).await?.flatten())
}

/// The sorted items of a document, or `None` when it has no `items` list.
pub fn read_items_of(doc: &automerge::Automerge) -> Option<Vec<String>> {
    let Ok(Some((_, list))) = doc.get(ROOT, "items") else {
        return None;
    };
    let mut items: Vec<String> = (0..doc.length(&list))
        .filter_map(|i| doc.get(&list, i).ok().flatten())
        .filter_map(|(value, _)| value.into_string().ok())
        .collect();
    items.sort();
    Some(items)
}

/// Waits until the client holds the document with exactly `expected` items.
pub async fn wait_for_items(
    client: &NativeClient,
    doc: DocumentId,
    expected: &[String],
) -> anyhow::Result<()> {
    let mut expected = expected.to_vec();
    expected.sort();
    let wanted = expected.clone();
    let result = client
        .wait_until(doc, SYNC_TIMEOUT, "items", move |driver| {
            driver.document(&doc).and_then(read_items_of).as_ref() == Some(&wanted)
        })
        .await;
    if result.is_err() {
        let got = items(client, doc).await?;
        anyhow::bail!("document {doc} did not converge: expected {expected:?}, got {got:?}");
    }
    Ok(())
}
