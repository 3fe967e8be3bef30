//! The automerge-repo WebSocket protocol, version "1".
//!
//! Every binary WebSocket frame carries exactly one [`WireMessage`], encoded as a CBOR map
//! with text keys. [`decode`] accepts what real clients send (integers as floats, CBOR
//! `undefined`, document ids as bytes, unknown keys) and never panics; [`encode`] writes
//! definite-length maps in the field order samod uses.
//!
//! ```
//! use wish_client_core::proto::{decode, encode, PeerId, WireMessage};
//! let join = WireMessage::Join {
//!     sender_id: PeerId::new("tablet-1"),
//!     supported_protocol_versions: vec!["1".into()],
//!     peer_metadata: None,
//! };
//! assert_eq!(decode(&encode(&join)).unwrap(), join);
//! ```

mod codec;
mod heads;
mod ids;
mod message;

pub use codec::{decode, encode, DecodeError};
pub use heads::{decode_heads, encode_heads, HeadsError};
pub use ids::{DocumentId, DocumentIdError, PeerId, StorageId, MAX_ID_BYTES};
pub use message::{HeadsAtStorage, PeerMetadata, WireMessage, PROTOCOL_VERSION};
