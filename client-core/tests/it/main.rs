//! The client core's integration tests: the domain operations, the sync driver, the codec.
//!
//! One test binary per crate: each file below was its own binary, and linking the
//! server into each of them dominated the test build on two cores.

mod domain_common;
mod domain_dispatch;
mod domain_ledger;
mod domain_model;
mod domain_properties;
mod domain_roster_people;
mod domain_station_community;
mod domain_wish_edit;
mod domain_wish_ops;
mod driver_local_copies;
mod driver_server_heads;
mod duty_hours;
mod earn_properties;
mod fuzz_replay;
mod proto_codec;
mod proto_id_caps;
mod sans_io;
