//! Open `/sync` connections per device, capped: a stolen token cannot open thousands of
//! sockets. A [`ConnSlot`] is held for the life of a connection and frees its place when
//! dropped, however the connection ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Counts of open connections by device id.
#[derive(Debug, Default, Clone)]
pub struct DeviceConns {
    open: Arc<Mutex<HashMap<String, usize>>>,
}

/// One open connection of a device; dropping it frees the place.
#[derive(Debug)]
pub struct ConnSlot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    device: String,
}

impl DeviceConns {
    /// A place for one more connection of `device`, if it has fewer than `max` open.
    pub fn try_hold(&self, device: &str, max: usize) -> Option<ConnSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(device.to_owned()).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(ConnSlot {
            open: self.open.clone(),
            device: device.to_owned(),
        })
    }
}

impl Drop for ConnSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.device) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.device);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_holds_at_most_max_and_a_dropped_slot_frees_its_place() {
        let conns = DeviceConns::default();
        let held: Vec<_> = (0..2).filter_map(|_| conns.try_hold("d", 2)).collect();
        assert_eq!(held.len(), 2);
        assert!(conns.try_hold("d", 2).is_none());
        assert!(conns.try_hold("other", 2).is_some());
        drop(held);
        assert!(conns.try_hold("d", 2).is_some());
    }
}
