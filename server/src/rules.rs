//! Write rules: who may write which field of which document.
//!
//! [`access`](crate::access) decides whether a device may read or write a document at all;
//! this module decides, for a change it may write, whether **each thing the change does**
//! is allowed. It is the server's `validate_doc_update` (CouchDB) or security rules
//! (Firebase): the engine applies a peer's sync message, turns what it did into patches
//! (automerge's patch log), and calls [`check`] with the writer, the document's facts and
//! the patches. A refused change is undone before anything is persisted or sent.
//!
//! The flow for one change:
//!
//! ```text
//! patches ──touched::entries──► [Touched {entry: ["claims", "c7"], action: Add}, …]
//!         ──table::find───────► Rule { id: "wish.claims.add", who: Who::Anyone, check: Claim }
//!         ──Who::admits───────► is the writer in the relation the rule names?
//!         ──checks::run───────► does the entry's new content name the writer, stay in bounds?
//! ```
//!
//! Everything here is pure: no I/O, no clock. The table is in `rules/table.rs` and reads
//! like `docs/schema.md` ("Who may write each field").

mod checks;
mod relations;
mod table;
mod touched;

use automerge::{Automerge, ChangeHash, Patch};
use wish_client_core::model::wish::WishRoot;
use wish_client_core::model::{doc_type, DocType, WishView};

use crate::access::{DocMeta, Principal, Role};

pub use checks::read_string_at;
pub use relations::Relations;
pub use table::{Action, Check, Rule, Who, RULES};
pub use touched::{KnownEntries, Touched};

/// Why a change was refused: the rule that refused it and a reason for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The rule's id, e.g. `wish.assigned.add`, or `schema`, `no-rule`.
    pub rule: String,
    /// Chinese first, then ` / ` and English.
    pub reason: String,
}

impl Refusal {
    pub(crate) fn new(rule: impl Into<String>, zh: &str, en: &str) -> Self {
        Self {
            rule: rule.into(),
            reason: format!("{zh} / {en}"),
        }
    }
}

/// What an accepted change did that the audit log should show (a coordinator acting on
/// someone's behalf).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Entries written in another person's name, e.g. `events/e1 by p7`.
    pub on_behalf: Vec<String>,
}

/// Everything a decision needs: who writes, what the document is, what it is now, what
/// the change did.
pub struct ChangeUnderReview<'a> {
    pub writer: &'a Principal,
    pub meta: &'a DocMeta,
    /// The document after the change.
    pub doc: &'a Automerge,
    /// The document's heads before the change (empty: the change creates it).
    pub before: &'a [ChangeHash],
    pub patches: &'a [Patch],
    /// The wish after the change, if the caller already read it (`DocMeta::read`); the
    /// rules read it themselves otherwise.
    pub wish: Option<WishView>,
    /// What the same read of the wish saw of the root (its `schema` version, which keys
    /// are present), so that the rules do not seek those in the document again.
    pub root: Option<&'a WishRoot>,
    /// The partner unit of the writer's person in the community directory (`Person.unit`),
    /// when the writer is a partner and the server holds the directory; a `unit` claim
    /// must name it.
    pub writer_unit: Option<String>,
}

/// Checks every entry a change touched against [`RULES`]. The administrator (bootstrap
/// token) is not checked: it is the recovery path.
pub fn check(change: &ChangeUnderReview<'_>) -> Result<Verdict, Refusal> {
    check_with(change, &mut KnownEntries::default())
}

/// [`check`], with what the previous review of the same document learned about its
/// entries (the engine keeps one [`KnownEntries`] per loaded document).
pub fn check_with(
    change: &ChangeUnderReview<'_>,
    known: &mut KnownEntries,
) -> Result<Verdict, Refusal> {
    if change.writer.role == Role::Administrator {
        return Ok(Verdict::default());
    }
    let Some(doc_type) = type_of(change) else {
        return Err(Refusal::new(
            "schema.type",
            "文档缺少类型",
            "the document has no @type",
        ));
    };
    let schema = match change.root {
        Some(root) => root.schema.unwrap_or(1),
        None => checks::schema_version(change.doc),
    };
    let views = match schema {
        1 => checks::well_formed(doc_type, change.doc, change.wish.clone())?,
        _ => checks::Views::default(),
    };
    let relations = Relations::of(change, doc_type);
    let mut verdict = Verdict::default();
    let mut ctx = checks::Context::new(change, &relations, views);
    let touched = touched::entries(doc_type, change, known);
    for touched in touched {
        let Some(rule) = table::find(doc_type, &touched, change.doc, &relations) else {
            if schema > 1 && !table::known_entry(doc_type, &touched) {
                continue; // Later schema versions only add fields (docs/schema.md).
            }
            return Err(no_rule(doc_type, &touched));
        };
        if !rule.who.admits(&relations) {
            return Err(Refusal::new(rule.id, rule.zh, rule.en));
        }
        checks::run(rule, &touched, &mut ctx, &mut verdict)?;
    }
    Ok(verdict)
}

/// The document's type. A wish the caller read is proof enough (`WishView::read` checks
/// `@type`), so the hot path does not seek `@type` in the document once more.
fn type_of(change: &ChangeUnderReview<'_>) -> Option<DocType> {
    match change.wish {
        Some(_) => Some(DocType::Wish),
        None => doc_type(change.doc),
    }
}

fn no_rule(doc_type: DocType, touched: &Touched) -> Refusal {
    let what = format!("{} {}", doc_type.as_str(), touched.describe());
    Refusal {
        rule: "no-rule".into(),
        reason: format!("不允许这样修改（{what}） / no rule allows this change ({what})"),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_claims;
#[cfg(test)]
mod tests_loop;
#[cfg(test)]
mod tests_roster;
#[cfg(test)]
mod tests_supervise;
