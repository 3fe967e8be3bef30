//! Counts the engine keeps about itself, for metrics. Plain numbers, no I/O: the runtime
//! reads them with [`Engine::counters`](super::Engine::counters) and publishes them.

/// Why the engine refused a peer something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A change to an existing document the device may not make (`refused-change`).
    Change,
    /// A new document the device may not create (`refused-creation`).
    Creation,
    /// An upload of a deleted document (`refused-upload-of-deleted`).
    UploadOfDeleted,
    /// Changes made with another device's actor (`refused-foreign-actor`).
    ForeignActor,
    /// A session ended with `doc-unavailable` because access was denied (on a request,
    /// during fan-out, or after a role change).
    Unavailable,
}

impl Refusal {
    pub const ALL: [Refusal; 5] = [
        Refusal::Change,
        Refusal::Creation,
        Refusal::UploadOfDeleted,
        Refusal::ForeignActor,
        Refusal::Unavailable,
    ];

    /// The label: the audit record's kind, or `doc-unavailable`.
    pub fn label(self) -> &'static str {
        match self {
            Refusal::Change => "refused-change",
            Refusal::Creation => "refused-creation",
            Refusal::UploadOfDeleted => "refused-upload-of-deleted",
            Refusal::ForeignActor => "refused-foreign-actor",
            Refusal::Unavailable => "doc-unavailable",
        }
    }

    fn of_audit_kind(kind: &str) -> Option<Refusal> {
        Refusal::ALL
            .into_iter()
            .find(|r| *r != Refusal::Unavailable && r.label() == kind)
    }
}

/// Totals since the engine started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineCounters {
    /// Documents loaded into memory.
    pub documents_loaded: u64,
    /// Documents dropped from memory (idle, discarded after an error or a refusal).
    pub documents_unloaded: u64,
    /// Claims assigned by the server's arbitration.
    pub arbitration_decisions: u64,
    /// Queued wishes the arbiter caught up and arbitrated (shared stores).
    pub arbitration_catch_ups: u64,
    /// Times this process became or stopped being the claim arbiter.
    pub arbiter_changes: u64,
    /// Held documents that caught up with changes another process committed.
    pub committed_elsewhere_applied: u64,
    /// Refusals, indexed like [`Refusal::ALL`].
    refused: [u64; 5],
}

impl EngineCounters {
    /// How many refusals of this kind.
    pub fn refused(&self, refusal: Refusal) -> u64 {
        self.refused[refusal as usize]
    }

    pub(super) fn refuse(&mut self, refusal: Refusal) {
        self.refused[refusal as usize] += 1;
    }

    /// Counts an audit record whose kind is a refusal.
    pub(super) fn audited(&mut self, kind: &str) {
        if let Some(refusal) = Refusal::of_audit_kind(kind) {
            self.refuse(refusal);
        }
    }
}
