//! The tablet app in real headless Chromium (`tests/js/tablet-refused.mjs`): a volunteer's
//! change the server refuses is marked 服务器拒绝 with the reason on the card and the
//! detail page, and undoing it discards the forged change; a contact the server deletes
//! leaves no IndexedDB key behind. The screenshot goes to `tests/artifacts/tablet-refused.png`.
//!
//! Requirements as for `tablet_app.rs`: the built app (`scripts/build-app.sh`), `node`
//! and `npm`, and Debian's Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::time::Duration;

use serde_json::json;
use wish_tests::browser;
use wish_tests::fixtures::{self};
use wish_tests::node::run_script;
use wish_tests::TEST_TOKEN;

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
/// Upper bound for the browser script; its own waits time out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(240);

#[test]
fn a_refused_change_is_marked_and_undone_and_a_deleted_contact_leaves_the_tablet(
) -> anyhow::Result<()> {
    let scene = browser::demo_scene(BIN, 5)?;
    let (server, community) = (&scene.server, &scene.community);
    let body = json!({ "role": "volunteer", "person": "p05", "community": community, "stations": ["center"] });
    let code = fixtures::enrollment_code(server, &body)?;
    let artifacts = browser::artifacts_dir();
    let url = format!("http://{}", server.addr);
    let args = [
        "--url",
        &url,
        "--code",
        &code,
        "--admin-token",
        TEST_TOKEN,
        "--artifacts",
        &artifacts,
        "--chromium",
        browser::CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("tablet-refused.mjs", &args, PROCESS_TIMEOUT)?;
    assert_eq!(seen["ok"], true, "{seen}");
    assert!(
        seen["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{seen}"
    );
    assert_eq!(seen["contact_keys_left"], 0, "{seen}");
    Ok(())
}
