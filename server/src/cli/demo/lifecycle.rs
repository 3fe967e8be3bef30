//! Moving one demo wish through its lifecycle with the validated operations of
//! `wish_client_core::ops::wish`, so every demo document is one the real clients could
//! have written.

use automerge::Automerge;
use wish_client_core::model::{CloseReason, Module};
use wish_client_core::ops::wish as ops;
use wish_client_core::ops::Stamp;

use super::claimants::{claimants, take, Claimant};
use super::gen::{Gen, Timeline};
use super::ledger::Ledger;
use super::plan::{Plan, Stage};
use super::templates::{resolution_notes, CLAIM_NOTES, RATINGS, REJECT_REASONS, RELEASE_NOTES};

/// One wish on its way: the document, its clock and who coordinates its station.
pub struct WishRun<'a> {
    pub g: &'a mut Gen,
    pub doc: &'a mut Automerge,
    pub time: Timeline,
    pub module: Module,
    pub capacity: u32,
    pub coordinator: &'static str,
    /// The station PC the coordinator works on.
    pub desk: String,
    /// Steps still to come, to space the times out.
    pub left: u64,
}

/// The id and time of the next step.
struct Step {
    id: String,
    at: u64,
}

impl Step {
    fn stamp<'a>(&'a self, by: &'a str, device: &'a str) -> Stamp<'a> {
        Stamp {
            id: &self.id,
            by,
            device,
            now_ms: self.at,
        }
    }
}

impl WishRun<'_> {
    fn step(&mut self) -> Step {
        self.left = self.left.saturating_sub(1);
        let at = self.time.next(self.g, self.left);
        Step {
            id: self.g.id(),
            at,
        }
    }

    /// Runs the wish to the end its plan says, writing earn entries for confirmations.
    pub fn run(&mut self, plan: Plan, ledger: &mut Ledger) -> anyhow::Result<()> {
        let stage = plan.stage(self.g);
        self.left = stage as u64 + 3;
        if stage >= Stage::Verified {
            self.review(stage)?;
        }
        if stage >= Stage::Published {
            let step = self.step();
            ops::publish(self.doc, step.stamp(self.coordinator, &self.desk))?;
        }
        let claims = if stage >= Stage::Claimed {
            self.claim_all()?
        } else {
            Vec::new()
        };
        if stage >= Stage::Assigned {
            self.assign_all(&claims)?;
        }
        if stage >= Stage::InProgress {
            let step = self.step();
            ops::start(self.doc, step.stamp(self.coordinator, &self.desk))?;
        }
        if stage >= Stage::Resolved {
            let confirm =
                stage > Stage::Resolved || plan != Plan::Open(stage) || self.g.chance(0.7);
            self.resolve_all(&claims, confirm, ledger)?;
        }
        if stage >= Stage::Rated {
            self.rate()?;
        }
        self.finish(plan)
    }

    /// Verification (验单) and, for most, triage (分流) to the module.
    fn review(&mut self, stage: Stage) -> anyhow::Result<()> {
        let step = self.step();
        ops::verify(self.doc, step.stamp(self.coordinator, &self.desk))?;
        if stage > Stage::Verified || self.g.chance(0.7) {
            let step = self.step();
            ops::triage(
                self.doc,
                step.stamp(self.coordinator, &self.desk),
                self.module,
            )?;
        }
        Ok(())
    }

    /// Claims for every place; now and then someone claims first and then releases.
    fn claim_all(&mut self) -> anyhow::Result<Vec<(String, Claimant)>> {
        let mut candidates = claimants(self.module, self.capacity > 1);
        if self.g.chance(0.1) && candidates.len() > self.capacity as usize {
            let quitter = take(self.g, &mut candidates);
            let claim_id = self.claim(quitter)?;
            let step = self.step();
            let device = format!("phone-{}", quitter.by);
            let note = Some(self.g.pick(RELEASE_NOTES));
            ops::release(self.doc, step.stamp(quitter.by, &device), &claim_id, note)?;
        }
        let mut claims = Vec::new();
        for _ in 0..self.capacity {
            if candidates.is_empty() {
                break;
            }
            let claimant = take(self.g, &mut candidates);
            claims.push((self.claim(claimant)?, claimant));
        }
        Ok(claims)
    }

    fn claim(&mut self, who: Claimant) -> anyhow::Result<String> {
        let step = self.step();
        let device = format!("phone-{}", who.by);
        let note = self.g.chance(0.5).then(|| self.g.pick(CLAIM_NOTES));
        let members: Vec<String> = match who.with {
            Some(other) => vec![who.id.to_owned(), other.to_owned()],
            None => Vec::new(),
        };
        let claim = ops::NewClaim {
            kind: who.kind,
            claimant: who.id,
            note,
            members: &members,
            dispatched: false,
            offer: None,
        };
        ops::claim_as(self.doc, step.stamp(who.by, &device), &claim)?;
        Ok(step.id)
    }

    /// The server's arbitration for most wishes, a coordinator's hand for the others.
    fn assign_all(&mut self, claims: &[(String, Claimant)]) -> anyhow::Result<()> {
        let step = self.step();
        if self.g.chance(0.7) {
            ops::arbitrate(self.doc, &[] as &[String], step.at)?;
            return Ok(());
        }
        for (claim_id, _) in claims {
            ops::assign(self.doc, claim_id, self.coordinator, false, step.at)?;
        }
        Ok(())
    }

    /// Each claimant records the work; the station confirms the hours (谁记录谁证明).
    fn resolve_all(
        &mut self,
        claims: &[(String, Claimant)],
        confirm: bool,
        ledger: &mut Ledger,
    ) -> anyhow::Result<()> {
        for (claim_id, who) in claims {
            let step = self.step();
            let device = format!("phone-{}", who.by);
            let hours = (self.g.float(1.0, 8.0)).round() / 2.0;
            let note = Some(self.g.pick(resolution_notes(self.module)));
            ops::resolve(self.doc, step.stamp(who.by, &device), claim_id, hours, note)?;
        }
        if !confirm {
            return Ok(());
        }
        for (claim_id, _) in claims {
            let step = self.step();
            let entry = ops::confirm(self.doc, step.stamp(self.coordinator, &self.desk), claim_id)?;
            ledger.record_earn(&entry)?;
        }
        Ok(())
    }

    /// The resident's rating, most often recorded by the coordinator on their behalf.
    fn rate(&mut self) -> anyhow::Result<()> {
        let step = self.step();
        let (score, comment) = self.g.pick(RATINGS);
        let on_behalf = self.g.chance(0.7);
        let stamp = step.stamp(self.coordinator, &self.desk);
        ops::rate(self.doc, stamp, score, comment, on_behalf)?;
        Ok(())
    }

    fn finish(&mut self, plan: Plan) -> anyhow::Result<()> {
        let step = self.step();
        let stamp = step.stamp(self.coordinator, &self.desk);
        match plan {
            Plan::Open(_) => {}
            Plan::Rejected => ops::reject(self.doc, stamp, self.g.pick(REJECT_REASONS))?,
            Plan::Closed(reason) => ops::close(self.doc, stamp, reason, Some(close_note(reason)))?,
        }
        Ok(())
    }
}

fn close_note(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::Fulfilled => "心愿已圆梦，回访居民表示满意",
        CloseReason::Duplicate => "与同楼栋居民提交的心愿重复，已合并处理",
        CloseReason::OutOfScope => "属于物业维修责任范围，已转交物业处理",
        CloseReason::DoneByOthers => "家属已经自行解决",
        CloseReason::NoHelpWanted => "回访时居民表示不再需要",
        CloseReason::Withdrawn => "居民主动撤回心愿",
    }
}
