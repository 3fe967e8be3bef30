//! Operations on the community document: the directory and the three lists.
//!
//! Entries are added once under their id (refused if the id is used) and refer to
//! existing entries: a person's unit and stations, an offer's provider, a project's lead.
//! People listed here are those who enrolled to serve; residents never appear.

mod catalogue;
mod create;
mod directory;
mod list_moves;
mod lists;
mod people;

pub use catalogue::{edit_catalogue_item, retire_catalogue_item};
pub use create::{create_community, set_star_thresholds, NewCommunity};
pub use directory::{add_person, add_station, add_unit};
pub use list_moves::{advance_project, set_offer_active};
pub use lists::{add_catalogue_item, add_offer, add_project};
pub use people::{deactivate_person, edit_person, edit_unit};
