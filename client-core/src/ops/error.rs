//! [`DomainError`]: why an operation refused to write.

use automerge::AutomergeError;

use crate::model::{ModelError, WishStatus};

/// Why a domain operation refused to write. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The document could not be read as the expected type.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Automerge refused the write.
    #[error("automerge: {0}")]
    Automerge(#[from] AutomergeError),
    /// A create operation was given a document that already has a `@type`.
    #[error("document is already initialised")]
    AlreadyInitialised,
    /// The document follows a newer schema; it is read-only for this version.
    #[error("document schema {0} is newer than this version; it is read-only")]
    NewerSchema(u64),
    /// A required input is empty.
    #[error("{0} must not be empty")]
    EmptyField(&'static str),
    /// The new entry's id is already used.
    #[error("id {0} already exists")]
    DuplicateId(String),
    /// A referenced entry does not exist.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked up, e.g. `claim`, `shift`.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The wish's status does not allow the action.
    #[error("cannot {action} a wish that is {status}")]
    InvalidTransition {
        /// The refused action.
        action: &'static str,
        /// The wish's status.
        status: WishStatus,
    },
    /// The wish is closed; nothing but ratings and confirmations are accepted.
    #[error("wish is closed")]
    WishClosed,
    /// The wish was rejected; verify it again first.
    #[error("wish was rejected")]
    WishRejected,
    /// The wish must be verified (or triaged) first.
    #[error("wish is not verified")]
    NotVerified,
    /// The wish must be published first.
    #[error("wish is not published")]
    NotPublished,
    /// The claim was released.
    #[error("claim {0} was released")]
    ClaimReleased(String),
    /// The claim already has an assignment.
    #[error("claim {0} is already assigned")]
    AlreadyAssigned(String),
    /// The claim has no assignment.
    #[error("claim {0} is not assigned")]
    NotAssigned(String),
    /// Every place of the wish is assigned.
    #[error("all {0} places are assigned")]
    CapacityFull(u32),
    /// The claimant already holds an active claim on the wish.
    #[error("{0} already holds an active claim")]
    DuplicateClaim(String),
    /// The claim has no resolution to confirm.
    #[error("claim {0} has no resolution")]
    NotResolved(String),
    /// The claim's resolution was already confirmed.
    #[error("claim {0} is already confirmed")]
    AlreadyConfirmed(String),
    /// Hours must be confirmed by someone other than who did or recorded the work.
    #[error("the claimant or recorder cannot confirm their own hours")]
    SelfConfirmation,
    /// A rating score outside 1..=5.
    #[error("score {0} is outside 1..=5")]
    ScoreOutOfRange(u8),
    /// Hours that are negative or not finite.
    #[error("hours must be a finite number of at least 0, got {0}")]
    InvalidHours(f64),
    /// A capacity of 0.
    #[error("capacity must be at least 1")]
    InvalidCapacity,
    /// A door-to-door contact needs the resident's consent.
    #[error("a door-to-door contact needs the resident's consent")]
    ConsentRequired,
    /// A public field contains the resident's contact data.
    #[error("{0} contains the resident's personal data")]
    PersonalData(&'static str),
    /// A text longer than its field allows.
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// The field.
        field: &'static str,
        /// Its maximum, in characters.
        max: usize,
    },
    /// The field at the path has a single value.
    #[error("{0} is not conflicting")]
    NoConflict(String),
    /// The chosen value is not one of the field's concurrent values.
    #[error("{value:?} is not a value of {path}")]
    NotAConflictValue {
        /// The field's path.
        path: String,
        /// The value asked for.
        value: String,
    },
    /// The path does not name a field of the document.
    #[error("no field at {0}")]
    UnknownPath(String),
    /// A date that is not `YYYY-MM-DD`.
    #[error("invalid date {0:?}, expected YYYY-MM-DD")]
    InvalidDate(String),
    /// A clock time that is not `HH:MM`.
    #[error("invalid time {0:?}, expected HH:MM")]
    InvalidTime(String),
    /// A shift that ends before it starts.
    #[error("a shift must end after it starts")]
    InvalidShiftTimes,
    /// The person is not on the shift.
    #[error("{0} is not an assignee of the shift")]
    NotAssignee(String),
    /// The person or unit is already on the shift.
    #[error("{0} is already an assignee of the shift")]
    AlreadyAssignee(String),
    /// The person already checked in to the shift.
    #[error("{0} already checked in")]
    AlreadyCheckedIn(String),
    /// The person has not checked in, or already checked out.
    #[error("{0} is not on duty")]
    NotOnDuty(String),
    /// Points or hours that are out of range for the entry.
    #[error("invalid amount: {0}")]
    InvalidAmount(&'static str),
    /// A redemption above the person's balance.
    #[error("balance {balance} is below the {points} points needed")]
    InsufficientBalance {
        /// The current balance.
        balance: i64,
        /// The points the item costs.
        points: i64,
    },
    /// The entry was already reversed.
    #[error("entry {0} is already reversed")]
    AlreadyReversed(String),
    /// A ledger entry whose postings do not sum to zero, or that does not fit its kind.
    #[error("invalid ledger entry: {0}")]
    InvalidEntry(&'static str),
    /// Star thresholds that are not five ascending non-negative numbers.
    #[error("star thresholds must be five ascending numbers of at least 0")]
    InvalidThresholds,
    /// An edit whose values are all the document's current values.
    #[error("nothing to change")]
    NothingToChange,
    /// A week is built from its Monday.
    #[error("{0} is not a Monday")]
    NotMonday(String),
    /// A template slot needs at least one weekday, each 1 (Monday) to 7 (Sunday).
    #[error("weekdays must be 1 (Monday) to 7 (Sunday), at least one")]
    InvalidWeekdays,
    /// The person left the community (deactivated); they are kept for history only.
    #[error("{0} has left the community")]
    PersonLeft(String),
    /// The catalogue item was retired and can no longer be redeemed.
    #[error("catalogue item {0} is retired")]
    ItemRetired(String),
    /// A group claim (帮帮团) without members besides its lead, or members on a person or
    /// unit claim.
    #[error("invalid claim members: {0}")]
    InvalidMembers(&'static str),
    /// The offer of the resources list was retired (停用).
    #[error("offer {0} is retired")]
    OfferRetired(String),
    /// A project's status only moves forward: planned → running → done.
    #[error("a project moves from planned to running to done, not back")]
    ProjectBackwards,
}
