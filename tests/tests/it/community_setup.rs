//! A newcomer runs a community from the screens only (`tests/js/community-setup.mjs` in
//! headless Chromium): a fresh server on an empty directory; 创建社区 with the setup code
//! the server wrote into the data directory (two stations, the coordinator's browser
//! enrolled on the spot); 20 people imported from an XLSX; a volunteer code made on 设备
//! and redeemed, by its text, in a second browser context; 50 paper wish cards imported
//! from a GB18030 CSV, which then show on the volunteer's tablet; a sheet of bulk codes
//! laid out for printing; the volunteer's tablet revoked from the device list.
//! Screenshots of each screen go to `tests/artifacts/setup-*.png`.
//!
//! Requirements as for `tablet_app.rs`: the built app (`scripts/build-app.sh`), `node`
//! and `npm`, and Debian's Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use wish_tests::browser;
use wish_tests::node::run_script;
use wish_tests::setup::{people_xlsx, read_setup_code, twenty_names, wish_cards_gb18030};
use wish_tests::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
/// Upper bound for the browser script; its own waits time out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(300);
/// The station the people and the cards belong to (the first one created on screen).
const STATION: &str = "和平里心愿驿站";
const SECOND_STATION: &str = "红星红色驿站";

#[test]
fn a_community_is_set_up_staffed_and_fed_from_the_screens() -> anyhow::Result<()> {
    browser::ensure_ready()?;
    let data = temp_dir();
    let files = temp_dir();
    let server = browser::serve_app(BIN, data.path())?;
    let code = read_setup_code(data.path())?;
    // The first (a volunteer in `people_xlsx`) collects the cards and gets the code.
    let names = twenty_names();
    let people = files.path().join("人员名单.xlsx");
    std::fs::write(&people, people_xlsx(&names, STATION)?)?;
    let cards = files.path().join("心愿卡.csv");
    std::fs::write(&cards, wish_cards_gb18030(50, STATION, &names[0]))?;

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    let (url, artifacts) = (
        format!("http://{}", server.addr),
        artifacts.display().to_string(),
    );
    let (people, cards) = (people.display().to_string(), cards.display().to_string());
    let all_names = names.join(",");
    let args = [
        ("--url", url.as_str()),
        ("--code", &code),
        ("--people", &people),
        ("--cards", &cards),
        ("--volunteer", &names[0]),
        ("--names", &all_names),
        ("--station", STATION),
        ("--second-station", SECOND_STATION),
        ("--artifacts", &artifacts),
        ("--chromium", browser::CHROMIUM),
    ];
    let args: Vec<&OsStr> = args
        .iter()
        .flat_map(|(flag, value)| [OsStr::new(*flag), OsStr::new(*value)])
        .collect();
    let seen = run_script("community-setup.mjs", &args, PROCESS_TIMEOUT)?;
    assert_eq!(seen["ok"], true, "{seen}");
    assert_eq!(seen["people_imported"], 20, "{seen}");
    assert_eq!(seen["cards_imported"], 50, "{seen}");
    assert_eq!(seen["volunteer_wishes"], 50, "{seen}");
    assert_eq!(seen["bulk_cards"], 3, "{seen}");
    assert_eq!(seen["volunteer_revoked"], true, "{seen}");
    assert!(
        !data.path().join("setup-code").exists(),
        "the code is spent"
    );
    Ok(())
}
