//! Who claims demo wishes: people of the wish's module and the partner units that serve it.

use wish_client_core::model::{ClaimKind, Module, Role};

use super::data::PEOPLE;
use super::gen::Gen;

/// Who claims: a person, a partner unit (recorded by one of its people) or a group.
#[derive(Clone, Copy)]
pub struct Claimant {
    pub id: &'static str,
    pub kind: ClaimKind,
    pub by: &'static str,
    /// A group's other member (a 帮帮团 lists its people besides the lead).
    pub with: Option<&'static str>,
}

/// Who may claim a wish of `module`: people of the module (not coordinators) and the
/// partner units that serve it; a group (帮帮团) led by a member for group work.
pub fn claimants(module: Module, group: bool) -> Vec<Claimant> {
    let mut out: Vec<Claimant> = PEOPLE
        .iter()
        .filter(|p| p.role != Role::Coordinator && p.modules.contains(&module))
        .map(|p| {
            let with = PEOPLE
                .iter()
                .find(|o| {
                    o.id != p.id && o.role != Role::Coordinator && o.modules.contains(&module)
                })
                .map(|o| o.id);
            let as_group = group && p.role == Role::Member && with.is_some();
            Claimant {
                id: p.id,
                kind: if as_group {
                    ClaimKind::Group
                } else {
                    ClaimKind::Person
                },
                by: p.id,
                with: with.filter(|_| as_group),
            }
        })
        .collect();
    for (unit, modules) in UNIT_MODULES {
        let member = PEOPLE.iter().find(|p| p.unit == Some(*unit));
        if let (true, Some(member)) = (modules.contains(&module), member) {
            out.push(Claimant {
                id: unit,
                kind: ClaimKind::Unit,
                by: member.id,
                with: None,
            });
        }
    }
    out
}

/// The modules each partner unit serves.
const UNIT_MODULES: &[(&str, &[Module])] = &[
    ("u-hospital", &[Module::Medical]),
    ("u-law", &[Module::Law]),
    ("u-school", &[Module::Psychology, Module::Comprehensive]),
    ("u-property", &[Module::Comprehensive]),
    ("u-socialwork", &[Module::Psychology]),
    ("u-tech", &[Module::Comprehensive, Module::Employment]),
];

/// Removes and returns a random candidate (the list is never empty when called).
pub fn take(g: &mut Gen, candidates: &mut Vec<Claimant>) -> Claimant {
    let i = g.int(0, candidates.len().saturating_sub(1) as u64) as usize;
    candidates.swap_remove(i)
}
