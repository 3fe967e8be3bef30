//! First start: a server with no community yet creates one from the browser.
//!
//! `serve` on a data directory that holds no community makes a one-time **setup code**
//! (`code.rs`): written to `DATA/setup-code` (mode 0600), printed with a terminal QR
//! code, and kept in memory as a hash. The page at `/` asks the server whether setup is
//! open (`GET /api/v1/setup`) and offers 创建社区; `POST /api/v1/setup` with the code
//! creates the community, its first stations, its ledger and the first person
//! (`build.rs`) through the engine (`engine/server_write.rs`), then enrolls the browser
//! that asked as that person's coordinator or office device. The code is then spent: the
//! file is deleted, and a server that holds a community never opens setup again.
//! Later communities are added by a 街道 (office device) or the administrator with the
//! same form and builder, without a code (`http/api/communities.rs`).
//!
//! ```text
//! serve (empty DATA) -> DATA/setup-code  ->  browser: 创建社区 + code
//!   -> POST /api/v1/setup -> engine: community, stations, ledger (durable)
//!   -> device token for the browser; code spent
//! ```

pub mod build;
pub mod code;

pub use build::{SetupDocs, SetupRequest};
pub use code::{has_community, SetupGate};
