//! What every Chromium test starts from: Debian's `chromium`, the built tablet app and a
//! real server serving it, on a demo community or an empty store.

use std::path::{Path, PathBuf};

use anyhow::ensure;
use tempfile::TempDir;

use crate::fixtures::{demo_community, seed_demo};
use crate::{temp_dir, TestServer};

/// Debian's Chromium (`scripts/test-all.sh` installs it).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The tablet app as `scripts/build-app.sh` writes it.
pub fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/dist")
}

/// Fails at once, saying how to fix it, when Chromium or the built app is missing.
pub fn ensure_ready() -> anyhow::Result<()> {
    ensure!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's `chromium` (scripts/test-all.sh does)"
    );
    ensure!(
        app_dir().join("index.html").is_file(),
        "the tablet app is not built: run scripts/build-app.sh"
    );
    Ok(())
}

/// The server binary `binary` on `data`, serving the tablet app.
pub fn serve_app(binary: &str, data: &Path) -> anyhow::Result<TestServer> {
    let app = app_dir().display().to_string();
    TestServer::start_with_args(binary, data, &["--app-dir", &app])
}

/// A server serving the app on a fresh store.
pub struct Scene {
    pub server: TestServer,
    /// The demo community's document id (empty on an empty store).
    pub community: String,
    /// Dropped last: the server's data directory.
    pub data: TempDir,
}

/// The demo community of `wishes` wishes, served with the app (checks [`ensure_ready`]).
pub fn demo_scene(binary: &str, wishes: u32) -> anyhow::Result<Scene> {
    ensure_ready()?;
    let data = temp_dir();
    let community = demo_community(&seed_demo(binary, data.path(), wishes)?)?;
    let server = serve_app(binary, data.path())?;
    Ok(Scene {
        server,
        community,
        data,
    })
}

/// An empty store served with the app (checks [`ensure_ready`]).
pub fn empty_scene(binary: &str) -> anyhow::Result<Scene> {
    ensure_ready()?;
    let data = temp_dir();
    let server = serve_app(binary, data.path())?;
    Ok(Scene {
        server,
        community: String::new(),
        data,
    })
}

/// Where the Chromium tests leave their screenshots (`tests/artifacts/`).
pub fn artifacts_dir() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("artifacts")
        .display()
        .to_string()
}
