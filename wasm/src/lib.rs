//! Browser bindings of the Wish Station client core (wasm-bindgen). Conversions and
//! errors only: every decision is made in `wish-client-core`.

pub use wish_client_core as core;
