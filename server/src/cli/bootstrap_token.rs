//! The bootstrap (administrator) token of `serve`: long, and never guessable.
//!
//! A token given with `--bootstrap-token` must have at least [`MIN_LEN`] characters.
//! Without one, `serve` uses the token stored in `DATA/bootstrap-token`, generating it
//! (256 random bits) on first start; the file is created with mode 0600 and its path is
//! printed, never the token itself.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The shortest bootstrap token `serve` accepts.
pub const MIN_LEN: usize = 16;

/// The file in the data directory that holds a generated token.
pub fn token_path(data_dir: &Path) -> PathBuf {
    data_dir.join("bootstrap-token")
}

/// The token to serve with: the one given, else the stored one, else a new stored one.
pub fn resolve(given: Option<String>, data_dir: &Path) -> anyhow::Result<String> {
    if let Some(token) = given {
        return check(token.trim()).map(str::to_owned);
    }
    let path = token_path(data_dir);
    if path.exists() {
        let stored = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let token =
            check(stored.trim()).with_context(|| format!("the token in {}", path.display()))?;
        announce(&format!("bootstrap token: {}", path.display()));
        return Ok(token.to_owned());
    }
    let token = crate::directory::new_token();
    write_private(&path, &token)?;
    announce(&format!(
        "bootstrap token generated and stored in {} (mode 0600)",
        path.display()
    ));
    Ok(token)
}

fn check(token: &str) -> anyhow::Result<&str> {
    anyhow::ensure!(
        token.chars().count() >= MIN_LEN,
        "the bootstrap token must be at least {MIN_LEN} characters long; \
         leave --bootstrap-token out and serve generates one"
    );
    Ok(token)
}

/// Creates `path` readable by its owner only, before any byte of the token is written.
fn write_private(path: &Path, token: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{token}").with_context(|| format!("writing {}", path.display()))?;
    file.sync_all()?;
    Ok(())
}

#[allow(clippy::print_stdout)] // where the token is, for the operator who started serve
fn announce(line: &str) {
    println!("{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tokens_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(resolve(Some("T".into()), dir.path()).is_err());
        assert!(resolve(Some("fifteen-chars-x".into()), dir.path()).is_err());
        let ok = resolve(Some("sixteen-chars-xx".into()), dir.path()).unwrap();
        assert_eq!(ok, "sixteen-chars-xx");
        assert!(
            !token_path(dir.path()).exists(),
            "a given token is not stored"
        );
    }

    #[test]
    fn without_a_token_one_is_generated_stored_privately_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = resolve(None, &data).unwrap();
        assert!(first.len() >= 64);
        assert_eq!(resolve(None, &data).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(token_path(&data))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
