//! Fills in `person_ids` and `names` of community rows written before enrollment checked
//! the directory and the office named people, once at start (before the engine thread owns the storage; communities are
//! few, so this reads a handful of documents).

use wish_client_core::proto::DocumentId;

use crate::domain::office_rows::{office_row, CommunitySummary, COMMUNITY_PREFIX};
use crate::storage::documents::load_doc;
use crate::storage::{Storage, WriteBatch};

/// Rewrites every community row without `person_ids` or `names` from its document.
pub fn fill_person_ids(storage: &dyn Storage) -> anyhow::Result<()> {
    let mut batch = WriteBatch::default();
    for (key, bytes) in storage.load_range(&[COMMUNITY_PREFIX.to_owned()])? {
        let stale = serde_json::from_slice::<CommunitySummary>(&bytes)
            .is_ok_and(|row| row.person_ids.is_none() || row.names.is_none());
        let doc_id = key.get(1).and_then(|d| d.parse::<DocumentId>().ok());
        let (true, Some(doc_id)) = (stale, doc_id) else {
            continue;
        };
        let Some(stored) = load_doc(storage, &doc_id)? else {
            continue;
        };
        if let Some((key, bytes)) = office_row(&doc_id.to_string(), &stored.doc) {
            batch.put(key, bytes);
        }
    }
    if !batch.is_empty() {
        tracing::info!("community rows: person ids and names filled in");
        storage.commit(batch)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;
    use wish_client_core::model::community::Person;
    use wish_client_core::model::Role;
    use wish_client_core::ops::community::{add_person, create_community, NewCommunity};
    use wish_client_core::proto::DocumentId;

    use super::*;
    use crate::cli::doc_writer::DocBatch;
    use crate::storage::{key, RedbStore};

    /// A community row as an older server wrote it: no person ids, no names.
    fn old_row(storage: &dyn Storage, doc_id: &str) -> anyhow::Result<()> {
        let row_key = key([COMMUNITY_PREFIX, doc_id]);
        let mut row: CommunitySummary = serde_json::from_slice(
            &storage
                .load(&row_key)?
                .ok_or_else(|| anyhow::anyhow!("no row"))?,
        )?;
        (row.person_ids, row.names) = (None, None);
        let mut batch = WriteBatch::default();
        batch.put(row_key, serde_json::to_vec(&row)?);
        storage.commit(batch)?;
        Ok(())
    }

    #[test]
    fn rows_written_before_names_were_kept_get_them_at_start() -> anyhow::Result<()> {
        let storage = RedbStore::in_memory()?;
        let id = DocumentId::from_bytes([7; 16]);
        let mut doc = Automerge::new();
        let community = NewCommunity {
            id: id.to_string(),
            name: "幸福社区".into(),
            district: "南山区".into(),
        };
        create_community(&mut doc, &community, 1)?;
        let person = Person {
            id: "p1".into(),
            name: "王芳".into(),
            role: Role::Volunteer,
            modules: vec![],
            skills: vec![],
            party_member: true,
            unit: None,
            stations: vec![],
            left_at: None,
        };
        add_person(&mut doc, &person, 2)?;
        let mut batch = DocBatch::default();
        batch.add(id, &doc)?;
        batch.commit(&storage)?;
        old_row(&storage, &id.to_string())?;

        fill_person_ids(&storage)?;
        let bytes = storage
            .load(&key([COMMUNITY_PREFIX, &id.to_string()]))?
            .ok_or_else(|| anyhow::anyhow!("no row"))?;
        let row: CommunitySummary = serde_json::from_slice(&bytes)?;
        let names = row.names.ok_or_else(|| anyhow::anyhow!("no names"))?;
        assert_eq!(names.people.get("p1").map(String::as_str), Some("王芳"));
        assert!(names.party_members.contains("p1"));
        assert_eq!(row.person_ids, Some(vec!["p1".to_owned()]));
        Ok(())
    }
}
