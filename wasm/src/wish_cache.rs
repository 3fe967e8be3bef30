//! Wish views by document, rebuilt only when a document's heads change.
//!
//! Reading a wish and walking it for conflicting fields takes about a millisecond in
//! wasm, and the list screens ask for every wish after each batch of sync: a fresh tablet
//! with a thousand wishes would spend seconds per redraw. A view is a pure function of
//! the document, so the heads are a complete cache key.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use automerge::{Automerge, ChangeHash};
use wish_client_core::model::{conflicts, doc_type, DocType, WishView};
use wish_client_core::proto::DocumentId;

/// A wish as the lists show it: the view and how many fields are in conflict.
#[derive(Clone)]
pub struct CachedWish {
    pub view: Rc<WishView>,
    pub conflicts: usize,
}

#[derive(Default)]
pub struct WishCache {
    entries: RefCell<HashMap<DocumentId, (Vec<ChangeHash>, CachedWish)>>,
}

impl WishCache {
    /// The wish in `doc`, read again only if the document changed; `None` for documents
    /// that are not (readable) wishes.
    pub fn get(&self, id: &DocumentId, doc: &Automerge) -> Option<CachedWish> {
        let heads = doc.get_heads();
        if let Some((cached_heads, wish)) = self.entries.borrow().get(id) {
            if *cached_heads == heads {
                return Some(wish.clone());
            }
        }
        if doc_type(doc) != Some(DocType::Wish) {
            return None;
        }
        let wish = CachedWish {
            view: Rc::new(WishView::read(doc).ok()?),
            conflicts: conflicts(doc).len(),
        };
        self.entries.borrow_mut().insert(*id, (heads, wish.clone()));
        Some(wish)
    }
}
