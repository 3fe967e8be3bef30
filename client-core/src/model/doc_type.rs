//! The `@type` and `schema` of a document root.

use automerge::{Automerge, ReadDoc, ROOT};

pub use super::enums::DocType;
use super::fields::Fields;
use super::read::{opt_str, opt_u64};
use super::ModelError;

/// The schema version this code reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// The document's type, read from its root `@type`; `None` for an empty document, a
/// document of another application or a type from a newer schema.
///
/// Call it to decide which view's `read` applies to a document received from a peer.
pub fn doc_type(doc: &Automerge) -> Option<DocType> {
    opt_str(doc, &ROOT, "@type").ok().flatten()?.parse().ok()
}

/// The document's `schema` version, `None` if it has none. A document with a version above
/// [`SCHEMA_VERSION`] is shown read-only: ops refuse to write it.
pub fn schema_version(doc: &Automerge) -> Option<u64> {
    opt_u64(doc, &ROOT, "schema").ok().flatten()
}

/// Checks that the document's `@type` is `expected`; readers call it first.
pub(crate) fn expect_type<R: ReadDoc>(doc: &R, expected: DocType) -> Result<(), ModelError> {
    type_is(opt_str(doc, &ROOT, "@type").unwrap_or(None), expected)
}

/// [`expect_type`] on a root already read with [`Fields::of`]: the same answer without
/// seeking `@type` in the document again (a reader that walks the root anyway).
pub(crate) fn expect_type_in<R: ReadDoc>(
    root: &Fields<'_, R>,
    expected: DocType,
) -> Result<(), ModelError> {
    type_is(root.opt_str("@type").unwrap_or(None), expected)
}

fn type_is(found: Option<String>, expected: DocType) -> Result<(), ModelError> {
    if found.as_deref() == Some(expected.as_str()) {
        return Ok(());
    }
    Err(ModelError::WrongType {
        expected: expected.as_str(),
        found,
    })
}
