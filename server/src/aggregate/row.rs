//! The compact per-wish row: a [`WishSummary`] with every repeated string interned and
//! the three free strings (document id, wish id, title) in one allocation.

use std::num::NonZeroU64;

use serde::Serialize;
use wish_client_core::model::wish::WishSummary;
use wish_client_core::model::{Channel, CloseReason, Module, Urgency, WishStatus};

use super::dict::{Dict, SmallDict};

/// The module code of an untriaged wish, and its key in counts.
pub const UNTRIAGED: &str = "untriaged";
/// The close-reason code of a wish that is not closed.
const NO_REASON: &str = "";

/// Every dictionary of the index.
#[derive(Debug, Clone)]
pub(crate) struct Dicts {
    pub status: SmallDict,
    pub module: SmallDict,
    pub channel: SmallDict,
    pub urgency: SmallDict,
    pub close_reason: SmallDict,
    pub community: Dict<Box<str>>,
    /// Station ids; a station is known by (community code, station-id code).
    pub station_id: Dict<Box<str>>,
    pub station: Dict<(u32, u32)>,
    pub claimant: Dict<Box<str>>,
}

impl Default for Dicts {
    fn default() -> Self {
        Self {
            status: SmallDict::with_keys(WISH_STATUSES.iter().map(|s| s.as_str())),
            module: SmallDict::with_keys(
                std::iter::once(UNTRIAGED).chain(Module::ALL.iter().map(|m| m.as_str())),
            ),
            channel: SmallDict::with_keys(Channel::ALL.iter().map(|c| c.as_str())),
            urgency: SmallDict::with_keys(Urgency::ALL.iter().map(|u| u.as_str())),
            close_reason: SmallDict::with_keys(
                std::iter::once(NO_REASON).chain(CloseReason::ALL.iter().map(|r| r.as_str())),
            ),
            community: Dict::default(),
            station_id: Dict::default(),
            station: Dict::default(),
            claimant: Dict::default(),
        }
    }
}

/// Every status, in stage order.
pub const WISH_STATUSES: [WishStatus; 10] = [
    WishStatus::Collected,
    WishStatus::Verified,
    WishStatus::Published,
    WishStatus::Claimed,
    WishStatus::Assigned,
    WishStatus::InProgress,
    WishStatus::Resolved,
    WishStatus::Rated,
    WishStatus::Closed,
    WishStatus::Rejected,
];

/// One wish in memory: about 112 bytes inline plus one string allocation (see the
/// module documentation of `aggregate` for the whole budget).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Document id, wish id and title, concatenated.
    text: Box<str>,
    pub claimants: Box<[u32]>,
    pub created_at: u64,
    pub published_at: Option<NonZeroU64>,
    pub first_claim_at: Option<NonZeroU64>,
    pub assigned_at: Option<NonZeroU64>,
    pub resolved_at: Option<NonZeroU64>,
    pub closed_at: Option<NonZeroU64>,
    doc_len: u32,
    id_len: u32,
    pub community: u32,
    pub station: u32,
    pub hours_milli: u32,
    pub status: u8,
    /// 0: untriaged.
    pub module: u8,
    pub channel: u8,
    pub urgency: u8,
    /// 0: not closed.
    pub close_reason: u8,
    /// 0: not rated; else 1–5.
    pub rating: u8,
}

fn time(ms: Option<u64>) -> Option<NonZeroU64> {
    ms.and_then(NonZeroU64::new)
}

fn ms(time: Option<NonZeroU64>) -> Option<u64> {
    time.map(NonZeroU64::get)
}

fn len32(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

impl Row {
    pub fn new(doc_id: &str, s: &WishSummary, dicts: &mut Dicts) -> Self {
        let community = dicts.community.intern_str(&s.community);
        let station_id = dicts.station_id.intern_str(&s.station);
        let hours = (s.hours.max(0.0) * 1000.0).round();
        Self {
            text: [doc_id, s.id.as_str(), s.title.as_str()].concat().into(),
            claimants: s
                .claimants
                .iter()
                .map(|c| dicts.claimant.intern_str(c))
                .collect(),
            created_at: s.created_at,
            published_at: time(s.published_at),
            first_claim_at: time(s.first_claim_at),
            assigned_at: time(s.assigned_at),
            resolved_at: time(s.resolved_at),
            closed_at: time(s.closed_at),
            doc_len: len32(doc_id),
            id_len: len32(&s.id),
            community,
            station: dicts.station.intern((community, station_id)),
            hours_milli: if hours >= f64::from(u32::MAX) {
                u32::MAX
            } else {
                hours as u32
            },
            status: dicts.status.intern(&s.status),
            module: dicts
                .module
                .intern(s.module.as_deref().unwrap_or(UNTRIAGED)),
            channel: dicts.channel.intern(&s.channel),
            urgency: dicts.urgency.intern(&s.urgency),
            close_reason: dicts
                .close_reason
                .intern(s.close_reason.as_deref().unwrap_or("")),
            rating: s.rating.filter(|r| (1..=5).contains(r)).unwrap_or(0),
        }
    }

    fn split(&self) -> (&str, &str, &str) {
        let doc = self.doc_len as usize;
        let id = doc + self.id_len as usize;
        (
            self.text.get(..doc).unwrap_or(""),
            self.text.get(doc..id).unwrap_or(""),
            self.text.get(id..).unwrap_or(""),
        )
    }

    pub fn doc_id(&self) -> &str {
        self.split().0
    }

    pub fn hours(&self) -> f64 {
        f64::from(self.hours_milli) / 1000.0
    }

    /// When the wish went on the clock: its publication, or its collection if it was
    /// never published.
    pub fn clock_start(&self) -> u64 {
        ms(self.published_at).unwrap_or(self.created_at)
    }

    /// Inline size plus the heap it owns.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.text.len() + 4 * self.claimants.len()
    }

    /// The row as the API shows it.
    pub fn item(&self, dicts: &Dicts) -> WishItem {
        let (doc_id, id, title) = self.split();
        let (_, station) = dicts.station.key(self.station).copied().unwrap_or_default();
        WishItem {
            doc_id: doc_id.to_owned(),
            id: id.to_owned(),
            title: title.to_owned(),
            community: dicts.community.name(self.community).to_owned(),
            station: dicts.station_id.name(station).to_owned(),
            module: (self.module != 0).then(|| dicts.module.name(self.module).to_owned()),
            status: dicts.status.name(self.status).to_owned(),
            channel: dicts.channel.name(self.channel).to_owned(),
            urgency: dicts.urgency.name(self.urgency).to_owned(),
            created_at: self.created_at,
            published_at: ms(self.published_at),
            first_claim_at: ms(self.first_claim_at),
            assigned_at: ms(self.assigned_at),
            resolved_at: ms(self.resolved_at),
            closed_at: ms(self.closed_at),
            close_reason: (self.close_reason != 0)
                .then(|| dicts.close_reason.name(self.close_reason).to_owned()),
            claimants: self
                .claimants
                .iter()
                .map(|c| dicts.claimant.name(*c).to_owned())
                .collect(),
            hours: self.hours(),
            rating: (self.rating != 0).then_some(self.rating),
            names: None,
        }
    }
}

/// A wish as the office API lists and exports it: its summary plus its document id.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct WishItem {
    pub doc_id: String,
    pub id: String,
    pub title: String,
    pub community: String,
    pub station: String,
    pub module: Option<String>,
    pub status: String,
    pub channel: String,
    pub urgency: String,
    pub created_at: u64,
    pub published_at: Option<u64>,
    pub first_claim_at: Option<u64>,
    pub assigned_at: Option<u64>,
    pub resolved_at: Option<u64>,
    pub closed_at: Option<u64>,
    pub close_reason: Option<String>,
    pub claimants: Vec<String>,
    pub hours: f64,
    pub rating: Option<u8>,
    /// The community's, station's and claimants' names; the index keeps ids only, so the
    /// HTTP handlers fill them in from the community directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<ItemNames>,
}

/// The names of a wish's community, station and claimants (in the order of `claimants`).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ItemNames {
    pub community: String,
    pub station: String,
    pub claimants: Vec<String>,
}
