//! Sync sessions and the sans-IO client driver.
//!
//! [`DocSession`] wraps one Automerge document and its sync state with one peer, and
//! guards every automerge call that takes peer bytes against panics. [`ClientDriver`] is
//! the whole client: feed it [`ClientInput`]s with the current time and carry out the
//! [`ClientEffect`]s it returns.
//!
//! ```
//! use wish_client_core::sync::{ClientConfig, ClientDriver, ClientEffect, ClientInput};
//! use wish_client_core::proto::PeerId;
//! let mut client = ClientDriver::new(ClientConfig::new(PeerId::new("tablet-1"), None, 42));
//! let effects = client.handle(0, ClientInput::Start);
//! assert!(effects.contains(&ClientEffect::Connect));
//! ```

mod backoff;
mod doc_session;
mod driver;
mod refusal;

pub use backoff::Backoff;
pub use doc_session::{DocSession, SessionError};
pub use driver::{
    ClientConfig, ClientDriver, ClientEffect, ClientError, ClientEvent, ClientInput,
    ConnectionState, StoreOp,
};
pub use refusal::{Refusal, RefusalError, REFUSED_TYPE};
