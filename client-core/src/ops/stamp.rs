//! [`Stamp`]: who appends an entry, from which device, when, under which id.

/// The origin of an appended entry (an event, a claim): its new `id` (made by the caller,
/// UUIDv4 or 16 random bytes in hex), the person id `by`, the `device` id and the time
/// `now_ms` in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp<'a> {
    pub id: &'a str,
    pub by: &'a str,
    pub device: &'a str,
    pub now_ms: u64,
}
