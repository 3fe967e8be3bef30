//! The one-time setup code: made on first start, stored in the data directory for the
//! person who started the server, compared by hash, spent once.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::domain::office_rows::COMMUNITY_PREFIX;
use crate::storage::{Storage, StorageError};

/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The file in the data directory that holds the setup code until it is spent.
pub fn code_path(data_dir: &Path) -> PathBuf {
    data_dir.join("setup-code")
}

/// Whether the store holds a community (its office row, written with every community
/// document the server or an offline command stores).
pub fn has_community(storage: &dyn Storage) -> Result<bool, StorageError> {
    Ok(!storage
        .load_range(&[COMMUNITY_PREFIX.to_owned()])?
        .is_empty())
}

/// The open setup of a server without a community.
#[derive(Debug)]
pub struct SetupGate {
    hash: String,
    file: PathBuf,
}

impl SetupGate {
    /// On start: `None` if the store holds a community (a leftover code file is removed);
    /// otherwise the code in `DATA/setup-code`, made (mode 0600) if there is none yet.
    pub fn open(storage: &dyn Storage, data_dir: &Path) -> anyhow::Result<Option<(Self, String)>> {
        let file = code_path(data_dir);
        if has_community(storage)? {
            if file.exists() {
                std::fs::remove_file(&file)
                    .with_context(|| format!("removing {}", file.display()))?;
            }
            return Ok(None);
        }
        let code = match std::fs::read_to_string(&file) {
            Ok(stored) if !normalise(&stored).is_empty() => stored.trim().to_owned(),
            _ => {
                let code = new_code();
                write_private(&file, &code)?;
                code
            }
        };
        let gate = Self {
            hash: hash(&code),
            file,
        };
        Ok(Some((gate, code)))
    }

    /// Whether `code` is this server's setup code (however it was typed).
    pub fn matches(&self, code: &str) -> bool {
        hash(code) == self.hash
    }

    /// The setup is done: the code file goes (the gate itself is dropped by the caller).
    pub fn spend(self) {
        if let Err(error) = std::fs::remove_file(&self.file) {
            tracing::warn!(%error, file = %self.file.display(), "the spent setup code file stays");
        }
    }

    /// Where the code is stored.
    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// A new code: 16 characters (80 bits) in four groups, `ABCD-EFGH-JKMN-PQRS`.
fn new_code() -> String {
    let bytes: [u8; 16] = rand::random();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Upper case, letters and digits only.
fn normalise(code: &str) -> String {
    code.to_uppercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(normalise(code).as_bytes()))
}

/// Creates `path` readable by its owner only, before any byte of the code is written.
fn write_private(path: &Path, code: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{code}").with_context(|| format!("writing {}", path.display()))?;
    file.sync_all()?;
    Ok(())
}

/// Tells the person who started the server where the code is and how to use it, with a
/// QR code of the setup page (for a phone or tablet that reaches this address). Listening
/// on every address (`0.0.0.0`), the server does not know which one others reach, so the
/// QR code holds the code alone.
#[allow(clippy::print_stdout)] // the operator's instructions on first start
pub fn announce(file: &Path, code: &str, addr: std::net::SocketAddr) {
    let (page, qr_text) = if addr.ip().is_unspecified() {
        let page = format!("http://<this machine's address>:{}/", addr.port());
        (page, code.to_owned())
    } else {
        (
            format!("http://{addr}/"),
            format!("http://{addr}/#/setup/{code}"),
        )
    };
    println!("no community yet: open {page} and choose 创建社区 (create the community)");
    println!(
        "setup code: {code} (also in {}, mode 0600; it works once)",
        file.display()
    );
    if let Ok(qr) = qrcode::QrCode::new(qr_text.as_bytes()) {
        let text = qr
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build();
        println!("{text}");
    }
    let _ = std::io::stdout().flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_store_gets_a_private_code_that_is_reused_until_spent() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::server::open_store(&dir.path().join("db")).unwrap();
        let store = store.as_ref();
        let (gate, code) = SetupGate::open(store, dir.path()).unwrap().unwrap();
        assert_eq!(code.len(), 19);
        assert!(gate.matches(&code.to_lowercase().replace('-', " ")));
        assert!(!gate.matches("ABCD-EFGH-JKMN-PQRS"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(code_path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (_, again) = SetupGate::open(store, dir.path()).unwrap().unwrap();
        assert_eq!(again, code, "a restart before setup keeps the code");
        gate.spend();
        assert!(!code_path(dir.path()).exists());
    }
}
