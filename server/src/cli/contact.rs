//! `wish-station contact delete DOC` and `wish-station audit`, on a stopped server's data
//! directory. While the server runs, use `DELETE /api/v1/contacts/{doc}` and
//! `GET /api/v1/audit`.

use std::path::PathBuf;

use automerge::transaction::Transactable;
use clap::{Args, Subcommand};
use wish_client_core::model::contact::ContactView;
use wish_client_core::proto::DocumentId;

use super::device::print_line;
use super::doc_writer::{load_doc, open_offline_store, DocBatch};
use crate::clock::now_ms;

#[derive(Args)]
pub struct ContactArgs {
    #[arg(long, default_value = "./data", global = true)]
    data: PathBuf,
    #[command(subcommand)]
    command: ContactCommand,
}

#[derive(Subcommand)]
enum ContactCommand {
    /// Delete a resident's contact document: removed from storage, tombstoned so no
    /// tablet can upload it again, and unlinked from its wish.
    Delete { doc: String },
    /// Compact the database file after deletions: live pages move into the freed space
    /// and the file shrinks, so deleted residents' bytes in its freed tail are gone.
    Compact,
}

#[derive(Args)]
pub struct AuditArgs {
    #[arg(long, default_value = "./data")]
    data: PathBuf,
    /// Only records at or after this time (ms since the epoch).
    #[arg(long, default_value_t = 0)]
    since_ms: u64,
    #[arg(long, default_value_t = 200)]
    limit: usize,
}

pub fn run(args: ContactArgs) -> anyhow::Result<()> {
    match args.command {
        ContactCommand::Delete { doc } => delete(&args.data, &doc),
        ContactCommand::Compact => compact(&args.data),
    }
}

fn compact(data: &std::path::Path) -> anyhow::Result<()> {
    let path = crate::server::database_path(data);
    let (before, after) = crate::storage::RedbStore::compact_file(&path).map_err(|e| {
        anyhow::anyhow!(
            "cannot compact {}: {e} (is a server running on this data directory? Stop it first)",
            path.display()
        )
    })?;
    print_line(&format!(
        "compacted {}: {before} bytes before, {after} after",
        path.display()
    ));
    Ok(())
}

fn delete(data: &std::path::Path, doc: &str) -> anyhow::Result<()> {
    let id: DocumentId = doc.parse().map_err(|e| anyhow::anyhow!("{doc}: {e}"))?;
    let store = open_offline_store(data)?;
    let contact = load_doc(store.as_ref(), &id)?
        .ok_or_else(|| anyhow::anyhow!("no contact document {id} in {}", data.display()))?;
    let view = ContactView::read(&contact.doc)?;
    let mut batch = DocBatch::default();
    batch.delete_document(id, now_ms());
    if let Ok(wish_id) = view.wish.parse::<DocumentId>() {
        if let Some(mut wish) = load_doc(store.as_ref(), &wish_id)? {
            let mut tx = wish.doc.transaction();
            tx.put(automerge::ROOT, "contact", automerge::ScalarValue::Null)?;
            tx.commit();
            batch.replace(wish_id, wish)?;
        }
    }
    batch.commit(store.as_ref())?;
    crate::audit::write(store.as_ref(), "contact-deleted", "cli", &id.to_string())?;
    print_line(&format!(
        "deleted contact {id}; tablets holding it are told when they next sync the wish"
    ));
    Ok(())
}

pub fn run_audit(args: AuditArgs) -> anyhow::Result<()> {
    let store = open_offline_store(&args.data)?;
    for record in crate::audit::read(store.as_ref(), args.since_ms, args.limit)? {
        print_line(&serde_json::to_string(&record)?);
    }
    Ok(())
}
