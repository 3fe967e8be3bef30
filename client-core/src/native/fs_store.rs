//! Local storage on the file system, in the layout of automerge-repo's NodeFS adapter:
//! `<base>/<docId[0..2]>/<docId[2..]>/<kind>/<hash>`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::proto::DocumentId;
use crate::storage_keys::Key;
use crate::sync::StoreOp;

/// Every stored key of every document, by document.
pub type StoredDocs = BTreeMap<DocumentId, Vec<(Key, Vec<u8>)>>;

/// A directory of document chunks. Writes go to a temporary file, are synced, then
/// renamed into place, so a crash leaves either the old or the new file.
#[derive(Debug, Clone)]
pub struct FsStore {
    base: PathBuf,
}

impl FsStore {
    pub fn new(base: impl Into<PathBuf>) -> std::io::Result<Self> {
        let base = base.into();
        std::fs::create_dir_all(&base)?;
        Ok(Self { base })
    }

    pub fn base(&self) -> &Path {
        &self.base
    }

    /// Reads or creates this store's storage id.
    pub fn storage_id(&self) -> std::io::Result<String> {
        let path = self.base.join("storage-adapter-id");
        if let Ok(id) = std::fs::read_to_string(&path) {
            return Ok(id.trim().to_owned());
        }
        let bytes: [u8; 16] = rand::random();
        let id = uuid_v4_string(bytes);
        write_atomically(&path, id.as_bytes())?;
        Ok(id)
    }

    pub fn apply(&self, op: &StoreOp) -> std::io::Result<()> {
        match op {
            StoreOp::Put(key, bytes) => write_atomically(&self.path(key)?, bytes),
            StoreOp::Delete(key) => ignore_not_found(std::fs::remove_file(self.path(key)?)),
            StoreOp::DeleteDocument(doc) => {
                ignore_not_found(std::fs::remove_dir_all(self.doc_dir(doc)))
            }
        }
    }

    /// The directory holding every key of a document.
    pub fn doc_dir(&self, doc: &DocumentId) -> PathBuf {
        let name = doc.to_string();
        // base58 is ASCII, and a 16-byte id is always longer than 2 characters.
        let (prefix, rest) = name.split_at(2.min(name.len()));
        self.base.join(prefix).join(rest)
    }

    /// Every document on disk with all its keys.
    pub fn load_all(&self) -> std::io::Result<StoredDocs> {
        let mut docs = BTreeMap::new();
        for prefix in read_dirs(&self.base)? {
            for rest in read_dirs(&prefix)? {
                let name = format!("{}{}", file_name(&prefix), file_name(&rest));
                let Ok(id) = name.parse::<DocumentId>() else {
                    continue;
                };
                docs.insert(id, load_doc_dir(&rest, &name)?);
            }
        }
        Ok(docs)
    }

    fn path(&self, key: &Key) -> std::io::Result<PathBuf> {
        let [doc, kind, hash] = key.as_slice() else {
            return Err(std::io::Error::other(format!("unexpected key {key:?}")));
        };
        let valid =
            |p: &str| !p.is_empty() && !p.contains(['/', '\\', '\0']) && p != "." && p != "..";
        if doc.len() < 3 || !valid(doc) || !valid(kind) || !valid(hash) {
            return Err(std::io::Error::other(format!("invalid key {key:?}")));
        }
        Ok(self
            .base
            .join(&doc[..2])
            .join(&doc[2..])
            .join(kind)
            .join(hash))
    }
}

fn ignore_not_found(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn load_doc_dir(dir: &Path, doc: &str) -> std::io::Result<Vec<(Key, Vec<u8>)>> {
    let mut entries = Vec::new();
    for kind in read_dirs(dir)? {
        for file in std::fs::read_dir(&kind)? {
            let path = file?.path();
            if path.extension().is_some_and(|e| e == "tmp") {
                continue;
            }
            let key = vec![doc.to_owned(), file_name(&kind), file_name(&path)];
            entries.push((key, std::fs::read(&path)?));
        }
    }
    Ok(entries)
}

fn read_dirs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    Ok(dirs)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

fn uuid_v4_string(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
