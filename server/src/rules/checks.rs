//! What an entry's new content must satisfy: the `Check`s of the rule table, and the
//! schema's types (a schema-1 document must still read as its type after the change).

use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use wish_client_core::model::wish::{Claim, WishStatus, WishView};
use wish_client_core::model::{
    ClaimKind, CommunityView, ContactView, DocType, EventKind, LedgerKind, LedgerView, StationView,
};

use super::table::{Action, Check, Rule};
use super::{ChangeUnderReview, Refusal, Relations, Touched, Verdict};
use crate::access::{Principal, Role};

/// What the checks of one change share: the writer, the document after the change (read
/// once, lazily) and counts across entries.
pub struct Context<'a> {
    writer: &'a Principal,
    doc: &'a Automerge,
    relations: &'a Relations,
    writer_unit: Option<String>,
    wish: Option<WishView>,
    ledger: Option<LedgerView>,
    claims_added: usize,
}

impl<'a> Context<'a> {
    /// `views` are what [`well_formed`] already read (reading a wish costs more than
    /// every check together, so it is read once per change).
    pub fn new(change: &ChangeUnderReview<'a>, relations: &'a Relations, views: Views) -> Self {
        Self {
            writer: change.writer,
            doc: change.doc,
            relations,
            writer_unit: change.writer_unit.clone(),
            wish: views.wish,
            ledger: views.ledger,
            claims_added: 0,
        }
    }

    fn wish(&mut self) -> Result<&WishView, Refusal> {
        if self.wish.is_none() {
            self.wish = Some(WishView::read(self.doc).map_err(schema_error)?);
        }
        self.wish.as_ref().ok_or_else(|| schema_error("wish"))
    }

    fn ledger(&mut self) -> Result<&LedgerView, Refusal> {
        if self.ledger.is_none() {
            self.ledger = Some(LedgerView::read(self.doc).map_err(schema_error)?);
        }
        self.ledger.as_ref().ok_or_else(|| schema_error("ledger"))
    }
}

/// The document's `schema` (1 when absent).
pub fn schema_version(doc: &Automerge) -> u64 {
    wish_client_core::model::schema_version(doc).unwrap_or(1)
}

/// The typed views of the document after the change that the checks use.
#[derive(Default)]
pub struct Views {
    wish: Option<WishView>,
    ledger: Option<LedgerView>,
}

/// A schema-1 document must still read as its type: required fields present, types and
/// enumerations as `docs/schema.md` says. Returns the views it read, for the checks.
pub fn well_formed(
    doc_type: DocType,
    doc: &Automerge,
    wish: Option<WishView>,
) -> Result<Views, Refusal> {
    let mut views = Views::default();
    match doc_type {
        DocType::Wish => {
            let wish = match wish {
                Some(wish) => wish,
                None => WishView::read(doc).map_err(schema_error)?,
            };
            if wish.capacity < 1 {
                return Err(schema_error("capacity must be at least 1"));
            }
            views.wish = Some(wish);
        }
        DocType::Ledger => views.ledger = Some(LedgerView::read(doc).map_err(schema_error)?),
        DocType::Contact => drop(ContactView::read(doc).map_err(schema_error)?),
        DocType::Station => drop(StationView::read(doc).map_err(schema_error)?),
        DocType::Community => drop(CommunityView::read(doc).map_err(schema_error)?),
    }
    Ok(views)
}

fn schema_error(error: impl std::fmt::Display) -> Refusal {
    Refusal::new(
        "schema",
        &format!("内容不符合数据格式（{error}）"),
        &format!("the contents do not follow docs/schema.md ({error})"),
    )
}

/// Runs a rule's check on one touched entry.
pub fn run(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    match rule.check {
        Check::None => Ok(()),
        Check::Stamped => stamped(rule, touched, ctx, verdict),
        Check::Collector => collector(rule, touched, ctx, verdict),
        Check::Claim => claim(rule, touched, ctx, verdict),
        Check::Dispatch => dispatch(rule, touched, ctx, verdict),
        Check::UnitClaim => unit_claim(rule, touched, ctx, verdict),
        Check::GroupClaim => group_claim(rule, touched, ctx, verdict),
        Check::OwnOffer => own_offer(rule, touched, ctx),
        Check::OwnClaim => own_claim(rule, touched, ctx, verdict),
        Check::Assignee => assignee(rule, touched, ctx, verdict),
        Check::Assignment => assignment(rule, touched, ctx),
        Check::Capacity => capacity(rule, ctx),
        Check::Rating => rating(rule, touched, ctx, verdict),
        Check::Visit => visit(rule, touched, ctx, verdict),
        Check::Story => story(rule, touched, ctx, verdict),
        Check::OwnCheckin => own_checkin(rule, touched, ctx, verdict),
        Check::OnDuty => on_duty(rule, touched, ctx),
        Check::LedgerEntry => ledger_entry(rule, touched, ctx, verdict),
        Check::SameEarn => same_earn(rule, touched, ctx),
    }
}

fn refuse(rule: &Rule, zh: &str, en: &str) -> Refusal {
    Refusal::new(rule.id, zh, en)
}

/// `by` and `device` of the entry name the writer; staff may name someone else.
fn stamped(
    rule: &Rule,
    touched: &Touched,
    ctx: &Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let by = read_string_at(ctx.doc, &touched.entry, "by").unwrap_or_default();
    let device = read_string_at(ctx.doc, &touched.entry, "device");
    let own_person = by == ctx.writer.person;
    let own_device = device.as_deref().is_none_or(|d| d == ctx.writer.device_id);
    if own_person && own_device {
        return Ok(());
    }
    if ctx.relations.staff {
        verdict.on_behalf.push(format!(
            "{} by {by} device {}",
            touched.entry.join("/"),
            device.unwrap_or_default()
        ));
        return Ok(());
    }
    Err(refuse(
        rule,
        "记录必须以本设备使用者的名义写入",
        "by and device must name this device and its person",
    ))
}

fn collector(
    rule: &Rule,
    touched: &Touched,
    ctx: &Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let named = read_string_at(ctx.doc, &[], touched.id()).unwrap_or_default();
    if named == ctx.writer.person {
        return Ok(());
    }
    if ctx.relations.staff {
        verdict
            .on_behalf
            .push(format!("{} = {named}", touched.id()));
        return Ok(());
    }
    Err(refuse(
        rule,
        "采集人必须是本设备的使用者",
        "the collector must be this device's person",
    ))
}

/// A person's own claim: in the writer's name, not dispatched, one per change.
fn claim(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let person = ctx.writer.person.clone();
    let claim = new_claim(rule, touched, ctx, verdict)?;
    if claim.kind != ClaimKind::Person || claim.claimant != person {
        return Err(refuse(
            rule,
            "只能以自己的名义认领，派单由本站社工进行",
            "a claim must be in one's own name; only the station's coordinator dispatches",
        ));
    }
    not_dispatched(rule, &claim)
}

/// A claim by staff (派单 when in another's name, audited as on behalf).
fn dispatch(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let person = ctx.writer.person.clone();
    let claim = new_claim(rule, touched, ctx, verdict)?;
    if claim.claimant != person {
        verdict.on_behalf.push(format!(
            "{} claimant {} ({})",
            touched.entry.join("/"),
            claim.claimant,
            claim.kind.as_str()
        ));
    }
    Ok(())
}

/// A partner's claim as its own unit.
fn unit_claim(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let (role, unit) = (ctx.writer.role, ctx.writer_unit.clone());
    let claim = new_claim(rule, touched, ctx, verdict)?;
    let own_unit = unit.as_deref().is_some_and(|u| u == claim.claimant);
    if role != Role::Partner || !own_unit {
        return Err(refuse(
            rule,
            "只有共建单位可以认领，并且只能以本单位的名义",
            "only a partner claims as a unit, and only as its own unit",
        ));
    }
    not_dispatched(rule, &claim)
}

/// A 帮帮团's claim: the writer is its lead, members listed.
fn group_claim(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let person = ctx.writer.person.clone();
    let claim = new_claim(rule, touched, ctx, verdict)?;
    if claim.claimant != person {
        return Err(refuse(rule, rule.zh, rule.en));
    }
    if !claim.members.iter().any(|m| *m != person) {
        return Err(refuse(
            rule,
            "帮帮团认领需要列出成员",
            "a group claim lists its members",
        ));
    }
    not_dispatched(rule, &claim)
}

/// An offer posted by a member (as themselves) or a partner (as its unit).
fn own_offer(rule: &Rule, touched: &Touched, ctx: &Context<'_>) -> Result<(), Refusal> {
    let read = |key| read_string_at(ctx.doc, &touched.entry, key).unwrap_or_default();
    let (provider, kind) = (read("provider"), read("provider_kind"));
    let person = ctx.writer.person.clone();
    let own = match kind.as_str() {
        "person" => provider == person,
        "unit" => {
            let unit = read_string_at(ctx.doc, &["people".to_owned(), person], "unit");
            ctx.writer.role == Role::Partner && unit.is_some_and(|u| !u.is_empty() && u == provider)
        }
        _ => false,
    };
    let active = !matches!(
        read_scalar_at(ctx.doc, &touched.entry, "active"),
        Some(ScalarValue::Boolean(false))
    );
    if own && active {
        return Ok(());
    }
    Err(refuse(rule, rule.zh, rule.en))
}

fn not_dispatched(rule: &Rule, claim: &Claim) -> Result<(), Refusal> {
    if claim.dispatched || claim.offer.is_some() {
        return Err(refuse(
            rule,
            "只有本站社工可以派单",
            "only the station's coordinator dispatches",
        ));
    }
    Ok(())
}

/// What every new claim must satisfy: stamped, one per change (staff: any number), on a
/// published, open wish, no second active claim of the claimant. Returns the claim.
fn new_claim(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<Claim, Refusal> {
    stamped(rule, touched, ctx, verdict)?;
    let staff = ctx.relations.staff;
    ctx.claims_added += 1;
    if !staff && ctx.claims_added > 1 {
        return Err(refuse(rule, "一次只能认领一次", "one claim per change"));
    }
    let wish = ctx.wish()?;
    let Some(claim) = wish.claim(touched.id()).cloned() else {
        return Err(schema_error("claim"));
    };
    if !claimable(wish) {
        return Err(refuse(
            rule,
            "这个心愿现在不能认领",
            "this wish cannot be claimed now",
        ));
    }
    let twice = wish
        .active_claims()
        .iter()
        .filter(|c| c.claimant == claim.claimant)
        .count();
    if twice > 1 {
        return Err(refuse(
            rule,
            "已经认领过这个心愿",
            "the claimant already holds a claim",
        ));
    }
    Ok(claim)
}

fn claimable(wish: &WishView) -> bool {
    let open = !matches!(
        wish.status(),
        WishStatus::Closed | WishStatus::Rejected | WishStatus::Resolved | WishStatus::Rated
    );
    open && wish.has_event(EventKind::Published)
}

/// `released` / `resolved`: the named claim is the writer's own.
fn own_claim(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    stamped(rule, touched, ctx, verdict)?;
    if ctx.relations.staff {
        return Ok(());
    }
    let person = ctx.writer.person.clone();
    let kind = read_string_at(ctx.doc, &touched.entry, "kind").unwrap_or_default();
    let named = read_string_at(ctx.doc, &touched.entry, "claim").unwrap_or_default();
    let wish = ctx.wish()?;
    let mine = wish
        .claim(&named)
        .is_some_and(|c| c.by == person || c.claimant == person);
    let assigned = wish.assigned.contains_key(&named);
    if mine && (kind != "resolved" || assigned) {
        return Ok(());
    }
    Err(refuse(rule, rule.zh, rule.en))
}

/// `started`: the writer holds an assigned, active claim.
fn assignee(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    stamped(rule, touched, ctx, verdict)?;
    if ctx.relations.staff {
        return Ok(());
    }
    let person = ctx.writer.person.clone();
    let wish = ctx.wish()?;
    let holds = wish
        .assigned_claims()
        .iter()
        .any(|c| c.by == person || c.claimant == person);
    if holds {
        return Ok(());
    }
    Err(refuse(rule, rule.zh, rule.en))
}

fn assignment(rule: &Rule, touched: &Touched, ctx: &mut Context<'_>) -> Result<(), Refusal> {
    let by_server = read_scalar_at(ctx.doc, &touched.entry, "by_server");
    if !matches!(by_server, Some(ScalarValue::Boolean(false))) {
        return Err(refuse(
            rule,
            "只有服务器的仲裁可以写 by_server",
            "only the server's arbitration writes by_server: true",
        ));
    }
    let wish = ctx.wish()?;
    if !wish.is_active_claim(touched.id()) {
        return Err(refuse(
            rule,
            "只能分配有效的认领",
            "only an active claim can be assigned",
        ));
    }
    if wish.active_assignments() > wish.capacity as usize {
        return Err(refuse(rule, "名额已满", "the wish's capacity is full"));
    }
    Ok(())
}

fn capacity(rule: &Rule, ctx: &mut Context<'_>) -> Result<(), Refusal> {
    let wish = ctx.wish()?;
    if wish.capacity >= 1 && wish.active_assignments() <= wish.capacity as usize {
        return Ok(());
    }
    Err(refuse(
        rule,
        "名额不能少于1或已分配人数",
        "capacity must be at least 1 and the active assignments",
    ))
}

fn rating(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    stamped(rule, touched, ctx, verdict)?;
    visitor_or_staff(rule, ctx)?;
    match read_scalar_at(ctx.doc, &touched.entry, "score") {
        Some(ScalarValue::Int(score)) if (1..=5).contains(&score) => Ok(()),
        Some(ScalarValue::Uint(score)) if (1..=5).contains(&score) => Ok(()),
        _ => Err(refuse(
            rule,
            "评分必须是1到5的整数",
            "score must be an integer from 1 to 5",
        )),
    }
}

/// The writer is staff or a visitor of the wish (its collector, or a claimant).
fn visitor_or_staff(rule: &Rule, ctx: &mut Context<'_>) -> Result<(), Refusal> {
    if ctx.relations.staff || ctx.relations.collector {
        return Ok(());
    }
    let person = ctx.writer.person.clone();
    if ctx.wish()?.is_visitor(&person) {
        return Ok(());
    }
    Err(refuse(rule, rule.zh, rule.en))
}

/// `visited` (回访): stamped, by a member of the station, staff or a visitor.
fn visit(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    stamped(rule, touched, ctx, verdict)?;
    if ctx.relations.member {
        return Ok(());
    }
    visitor_or_staff(rule, ctx)
}

/// `story` (微故事): stamped, and the wish was closed as fulfilled.
fn story(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    stamped(rule, touched, ctx, verdict)?;
    if ctx.wish()?.is_fulfilled() {
        return Ok(());
    }
    Err(refuse(
        rule,
        "只有已圆梦的心愿可以发布微故事",
        "only a wish closed as fulfilled becomes a story",
    ))
}

fn own_checkin(
    rule: &Rule,
    touched: &Touched,
    ctx: &Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    if touched.id() == ctx.writer.person {
        return Ok(());
    }
    if ctx.relations.staff {
        verdict.on_behalf.push(touched.entry.join("/"));
        return Ok(());
    }
    Err(refuse(rule, rule.zh, rule.en))
}

/// A shared tablet's check-in: the key is a person assigned to the shift, and a new
/// check-in names this tablet as its device (a later check-out keeps that device).
fn on_duty(rule: &Rule, touched: &Touched, ctx: &Context<'_>) -> Result<(), Refusal> {
    let [shifts, shift, _, person] = touched.entry.as_slice() else {
        return Err(refuse(rule, rule.zh, rule.en));
    };
    let assignee = [
        shifts.clone(),
        shift.clone(),
        "assignees".into(),
        person.clone(),
    ];
    if read_string_at(ctx.doc, &assignee, "kind").as_deref() != Some("person") {
        return Err(refuse(
            rule,
            "这个人不在本班次的值班名单上",
            "this person is not on the shift",
        ));
    }
    let device = read_string_at(ctx.doc, &touched.entry, "device");
    if touched.action == Action::Add && device.as_deref() != Some(ctx.writer.device_id.as_str()) {
        return Err(refuse(
            rule,
            "签到记录必须注明本平板",
            "the check-in must name this tablet as its device",
        ));
    }
    Ok(())
}

fn ledger_entry(
    rule: &Rule,
    touched: &Touched,
    ctx: &mut Context<'_>,
    verdict: &mut Verdict,
) -> Result<(), Refusal> {
    let person = ctx.writer.person.clone();
    let entry = ctx
        .ledger()?
        .entries
        .get(touched.id())
        .cloned()
        .ok_or_else(|| schema_error("ledger entry"))?;
    if !balanced(&entry) {
        return Err(refuse(
            rule,
            "账目借贷必须平衡",
            "an entry's postings must sum to zero",
        ));
    }
    if entry.by != person {
        verdict
            .on_behalf
            .push(format!("{} by {}", touched.entry.join("/"), entry.by));
    }
    Ok(())
}

fn same_earn(rule: &Rule, touched: &Touched, ctx: &mut Context<'_>) -> Result<(), Refusal> {
    let entry = ctx.ledger()?.entries.get(touched.id()).cloned();
    let earn = entry.filter(|e| e.kind == LedgerKind::Earn && e.id.starts_with("earn-"));
    match earn {
        Some(entry) if balanced(&entry) => Ok(()),
        _ => Err(refuse(rule, rule.zh, rule.en)),
    }
}

fn balanced(entry: &wish_client_core::model::ledger::LedgerEntry) -> bool {
    entry.points_sum() == 0 && entry.hours_sum().abs() < 1e-6
}

/// The object at `path` (through maps from the root).
fn object_at(doc: &Automerge, path: &[String]) -> Option<ObjId> {
    let mut obj = ROOT;
    for key in path {
        match doc.get(&obj, key.as_str()) {
            Ok(Some((Value::Object(_), id))) => obj = id,
            _ => return None,
        }
    }
    Some(obj)
}

/// A scalar field of the map at `path`.
fn read_scalar_at(doc: &Automerge, path: &[String], key: &str) -> Option<ScalarValue> {
    let obj = object_at(doc, path)?;
    match doc.get(&obj, key) {
        Ok(Some((Value::Scalar(value), _))) => Some(value.into_owned()),
        _ => None,
    }
}

/// A string field (scalar or `Text`, as JS writes strings) of the map at `path`.
pub fn read_string_at(doc: &Automerge, path: &[String], key: &str) -> Option<String> {
    let obj = object_at(doc, path)?;
    match doc.get(&obj, key) {
        Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).ok(),
        Ok(Some((Value::Scalar(value), _))) => match value.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}
