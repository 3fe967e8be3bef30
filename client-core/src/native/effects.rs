//! Carrying out a [`ClientDriver`](crate::sync::ClientDriver)'s effects: the loop every
//! native runtime shares (the native client, the load generator's peers). What differs,
//! storage and events, is each runtime's [`Effects`] implementation.

use std::collections::VecDeque;

use crate::sync::{ClientEffect, ClientEvent, StoreOp};

/// What a native runtime does with each kind of effect. `connect` and `send` return the
/// driver's answer to what happened (a lost connection, say), which is carried out next.
// Implemented inside the workspace by concrete types, never used as `dyn`, so the
// futures' `Send` bounds need not be spelled out.
#[allow(async_fn_in_trait)]
pub trait Effects {
    async fn connect(&mut self) -> Vec<ClientEffect>;
    async fn send(&mut self, bytes: Vec<u8>) -> Vec<ClientEffect>;
    async fn close_socket(&mut self);
    fn store(&mut self, op: StoreOp);
    fn event(&mut self, event: ClientEvent);
}

/// Carries out `effects` in order; effects caused by them are appended.
pub async fn carry_out<E: Effects>(runtime: &mut E, effects: Vec<ClientEffect>) {
    let mut queue: VecDeque<ClientEffect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let follow_up = match effect {
            ClientEffect::Connect => runtime.connect().await,
            ClientEffect::Send(bytes) => runtime.send(bytes).await,
            ClientEffect::CloseSocket => {
                runtime.close_socket().await;
                Vec::new()
            }
            ClientEffect::Store(op) => {
                runtime.store(op);
                Vec::new()
            }
            ClientEffect::Event(event) => {
                runtime.event(event);
                Vec::new()
            }
        };
        queue.extend(follow_up);
    }
}
