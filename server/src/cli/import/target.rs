//! Finding the community an import belongs to, in the store of the data directory.

use std::collections::BTreeSet;

use anyhow::{anyhow, bail, Context};
use wish_client_core::model::wish::WishSummary;
use wish_client_core::model::CommunityView;
use wish_client_core::proto::DocumentId;

use crate::domain::SUMMARY_PREFIX;
use crate::storage::documents::load_doc;
use crate::storage::Storage;

/// The community the cards are imported into.
pub struct Target {
    pub doc: DocumentId,
    pub community: CommunityView,
}

/// Resolves `--community`: a community document id, or the `id` field of a community
/// whose wishes are in the store; without it, the one community the store's wishes
/// belong to.
pub fn resolve(storage: &dyn Storage, wanted: Option<&str>) -> anyhow::Result<Target> {
    if let Some(doc) = wanted.and_then(|w| w.parse::<DocumentId>().ok()) {
        return read_community(storage, doc)?
            .ok_or_else(|| anyhow!("community document {doc} is not in this data directory"));
    }
    let mut found = Vec::new();
    for doc in known_communities(storage)? {
        if let Some(target) = read_community(storage, doc)? {
            if wanted.is_none_or(|w| target.community.id == w) {
                found.push(target);
            }
        }
    }
    choose(found, wanted)
}

fn choose(mut found: Vec<Target>, wanted: Option<&str>) -> anyhow::Result<Target> {
    match (found.len(), wanted) {
        (1, _) => Ok(found.remove(0)),
        (0, Some(w)) => bail!(
            "no community {w:?} in this data directory; pass --community with the community \
             document id (wish-station demo prints it)"
        ),
        (0, None) => bail!(
            "no community found in this data directory; pass --community with the community \
             document id"
        ),
        _ => {
            let names: Vec<String> = found
                .iter()
                .map(|t| format!("{} {} ({})", t.doc, t.community.id, t.community.name))
                .collect();
            bail!(
                "several communities match: {}; choose one with --community",
                names.join(", ")
            )
        }
    }
}

/// The community document ids named by the store's wish summaries.
fn known_communities(storage: &dyn Storage) -> anyhow::Result<BTreeSet<DocumentId>> {
    let rows = storage.load_range(&[SUMMARY_PREFIX.to_owned()])?;
    Ok(rows
        .iter()
        .filter_map(|(_, bytes)| serde_json::from_slice::<WishSummary>(bytes).ok())
        .filter_map(|s| s.community.parse().ok())
        .collect())
}

/// The community stored under `doc`; `None` if the store does not hold it.
fn read_community(storage: &dyn Storage, doc: DocumentId) -> anyhow::Result<Option<Target>> {
    let Some(stored) = load_doc(storage, &doc)? else {
        return Ok(None);
    };
    let community = CommunityView::read(&stored.doc)
        .with_context(|| format!("document {doc} is not a community document"))?;
    Ok(Some(Target { doc, community }))
}
