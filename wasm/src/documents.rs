//! Documents held by the client: restoring them from IndexedDB, following links,
//! and the saved-on-server state.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wish_client_core::model::{doc_type, CommunityView, StationView};
use wish_client_core::proto::DocumentId;
use wish_client_core::storage_keys::Key;

use crate::convert::{doc_id, from_json, js_error, to_json};
use crate::wish_cache::CachedWish;
use crate::WishClient;

#[wasm_bindgen]
impl WishClient {
    /// Restores a document from IndexedDB: `entries` is every `[key, bytes]` stored under
    /// `[doc]`, where `key` is an array of strings (the automerge-repo key layout).
    #[wasm_bindgen(js_name = loadDocument)]
    pub fn load_document(&mut self, doc: &str, entries: Array) -> Result<(), JsError> {
        let id = doc_id(doc)?;
        let entries = entries
            .iter()
            .map(|entry| entry_from_js(&entry))
            .collect::<Result<Vec<_>, _>>()?;
        self.driver.load_document(id, entries);
        Ok(())
    }

    /// Starts following a document that only the server has.
    #[wasm_bindgen(js_name = openDocument)]
    pub fn open_document(&mut self, doc: &str) -> Result<(), JsError> {
        self.driver.open_document(doc_id(doc)?);
        Ok(())
    }

    /// Follows every document of a JSON array of ids the client does not hold yet;
    /// returns how many were new.
    #[wasm_bindgen(js_name = openDocuments)]
    pub fn open_documents(&mut self, docs_json: &str) -> Result<u32, JsError> {
        let docs: Vec<String> = from_json("document list", docs_json)?;
        let mut opened = 0;
        for doc in docs {
            let id = doc_id(&doc)?;
            if self.driver.document(&id).is_none() {
                self.driver.open_document(id);
                opened += 1;
            }
        }
        Ok(opened)
    }

    /// Follows the links of the documents held: the community's documents of `stations`
    /// (a JSON array of station ids) and their wish indexes. Returns how many documents
    /// were new.
    #[wasm_bindgen(js_name = followLinks)]
    pub fn follow_links(&mut self, community: &str, stations_json: &str) -> Result<u32, JsError> {
        let community_id = doc_id(community)?;
        let stations: Vec<String> = from_json("station list", stations_json)?;
        let mut wanted = vec![community_id];
        wanted.extend(self.linked_documents(&community_id, &stations));
        let mut opened = 0;
        for id in wanted {
            if self.driver.document(&id).is_none() {
                self.driver.open_document(id);
                opened += 1;
            }
        }
        Ok(opened)
    }

    /// Restores the server heads last reported for a document (kept from `saved` events).
    #[wasm_bindgen(js_name = rememberServerHeads)]
    pub fn remember_server_heads(&mut self, doc: &str, heads: Vec<String>) -> Result<(), JsError> {
        let heads = heads
            .iter()
            .map(|h| {
                h.parse()
                    .map_err(|_| js_error(format!("invalid change hash {h:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.driver.remember_server_heads(&doc_id(doc)?, heads);
        Ok(())
    }

    /// Whether the server durably holds every change of this replica of the document.
    #[wasm_bindgen(js_name = isSavedOnServer)]
    pub fn is_saved_on_server(&self, doc: &str) -> Result<bool, JsError> {
        Ok(self.driver.is_saved_on_server(&doc_id(doc)?))
    }

    /// A document's heads here and as the server last reported them, as JSON
    /// `{local, server}` (the sync panel's details).
    #[wasm_bindgen(js_name = syncDetails)]
    pub fn sync_details(&self, doc: &str) -> Result<String, JsError> {
        let id = doc_id(doc)?;
        let hex = |heads: &[automerge::ChangeHash]| -> Vec<String> {
            heads.iter().map(ToString::to_string).collect()
        };
        let local = self.driver.document(&id).map(|d| hex(&d.get_heads()));
        let server = self.driver.server_heads(&id).map(hex);
        to_json(&serde_json::json!({ "local": local, "server": server }))
    }

    /// Whether the client holds the document with any content.
    #[wasm_bindgen(js_name = hasContent)]
    pub fn has_content(&self, doc: &str) -> Result<bool, JsError> {
        let id = doc_id(doc)?;
        Ok(self
            .driver
            .document(&id)
            .is_some_and(|d| doc_type(d).is_some()))
    }

    /// The ids of every document held, as a JSON array.
    #[wasm_bindgen(js_name = documentIds)]
    pub fn document_ids(&self) -> Result<String, JsError> {
        let ids: Vec<String> = self
            .driver
            .document_ids()
            .map(ToString::to_string)
            .collect();
        to_json(&ids)
    }

    /// How many documents with content hold changes the server has not confirmed.
    #[wasm_bindgen(js_name = pendingCount)]
    pub fn pending_count(&self) -> u32 {
        let pending = self
            .driver
            .document_ids()
            .filter(|id| {
                self.driver
                    .document(id)
                    .is_some_and(|d| doc_type(d).is_some())
                    && !self.driver.is_saved_on_server(id)
            })
            .count();
        u32::try_from(pending).unwrap_or(u32::MAX)
    }
}

impl WishClient {
    /// The documents of `stations` named by the community, and the wishes their
    /// indexes name (for the documents held so far).
    fn linked_documents(&self, community: &DocumentId, stations: &[String]) -> Vec<DocumentId> {
        let station_docs: Vec<DocumentId> = self
            .driver
            .document(community)
            .and_then(|d| CommunityView::read(d).ok())
            .map(|c| {
                c.stations
                    .into_iter()
                    .filter(|(id, _)| stations.contains(id))
                    .filter_map(|(_, s)| s.doc.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let mut out = station_docs.clone();
        for id in &station_docs {
            let index = self
                .driver
                .document(id)
                .and_then(|d| StationView::read(d).ok())
                .map(|s| s.wishes.into_keys().collect::<Vec<_>>())
                .unwrap_or_default();
            out.extend(index.iter().filter_map(|l| l.parse::<DocumentId>().ok()));
        }
        out
    }

    /// The wish documents held, read (documents that are not wishes are skipped).
    pub(crate) fn wishes(&self) -> Vec<(DocumentId, CachedWish)> {
        self.driver
            .document_ids()
            .filter_map(|id| {
                let doc = self.driver.document(id)?;
                Some((*id, self.wish_cache.get(id, doc)?))
            })
            .collect()
    }
}

fn entry_from_js(entry: &JsValue) -> Result<(Key, Vec<u8>), JsError> {
    let pair = Array::from(entry);
    let key = Array::from(&pair.get(0))
        .iter()
        .map(|part| {
            part.as_string()
                .ok_or_else(|| js_error("key parts must be strings"))
        })
        .collect::<Result<Key, _>>()?;
    let bytes = pair.get(1);
    if !bytes.is_instance_of::<Uint8Array>() {
        return Err(js_error("stored values must be Uint8Array"));
    }
    Ok((key, Uint8Array::from(bytes).to_vec()))
}
