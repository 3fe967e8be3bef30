//! The rule table: for each document type, which entries may be added, edited or removed,
//! by whom, and what their new content must satisfy.
//!
//! A change is allowed when every entry it touched matches a row (same document type,
//! entry pattern, action and, for events, kind) whose `who` admits the writer and whose
//! `check` passes. Rows are tried in order; the first that matches and admits the writer
//! decides. When rows match but none admits the writer, the first one's message is the
//! reason. The administrator (bootstrap token) is not checked. `docs/schema.md` ("Who may
//! write each field") is this table in prose; keep them together.

use automerge::Automerge;
use wish_client_core::model::DocType;

use super::checks::read_string_at;
use super::{Relations, Touched};

/// What a change did to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Absent before the change (or the change creates the document).
    Add,
    /// Present before and after, with different contents.
    Edit,
    /// Present before, absent after.
    Remove,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Edit => "edit",
            Action::Remove => "remove",
        }
    }
}

/// The relation a writer must have to the document for a row to admit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone the access policy lets write the document (`access.rs`).
    Anyone,
    /// Whoever creates the document (the access policy's `may_create` decided who may).
    Creator,
    /// A volunteer or coordinator of the document's station, or staff.
    Member,
    /// The person who collected the wish or contact, or staff.
    Collector,
    /// The coordinator of the document's station (community and ledger: of the
    /// community), or the office of the community.
    Staff,
    /// The shared tablet (驿站公用平板) enrolled for the document's station.
    SharedTablet,
    /// An office device whose scope covers the document's community (not the stations'
    /// coordinators).
    Office,
    /// Nobody but the administrator (and the server's own actor, which is not checked).
    Nobody,
}

impl Who {
    pub fn admits(self, relations: &Relations) -> bool {
        match self {
            Who::Anyone => true,
            Who::Creator => relations.creating,
            Who::Member => relations.member || relations.staff,
            Who::Collector => relations.collector || relations.staff,
            Who::Staff => relations.staff,
            Who::SharedTablet => relations.shared_tablet,
            Who::Office => relations.office,
            Who::Nobody => false,
        }
    }
}

/// What the entry's new content must satisfy (`checks.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// `by` is the writer's person and `device` the writer's device; staff may write in
    /// another's name (audited as on behalf).
    Stamped,
    /// A root `created_by` / `collected_by` names the writer (staff: anyone, audited).
    Collector,
    /// A new claim: stamped, in the writer's own name, not dispatched, on a published,
    /// open wish, one per change, no second active claim of the claimant.
    Claim,
    /// An event naming a claim (`released`, `resolved`): stamped, and the claim is the
    /// writer's own (by or claimant); `resolved` also needs the claim assigned.
    OwnClaim,
    /// `started`: stamped, and the writer holds an assigned, active claim.
    Assignee,
    /// A hand assignment: `by_server` false, `by` the writer, the claim active, and no more
    /// active assignments than the capacity.
    Assignment,
    /// `capacity` is at least the number of active assignments.
    Capacity,
    /// `rated`: stamped, score an integer 1–5, by staff or a visitor of the wish (its
    /// collector or a claimant).
    Rating,
    /// A claim written by staff: stamped, on a published, open wish, no second active
    /// claim of the claimant; in another's name (派单) it is audited as on behalf.
    Dispatch,
    /// A `unit` claim: stamped, by a partner, naming the writer's own unit
    /// (`Person.unit` in the directory), not dispatched.
    UnitClaim,
    /// A `group` claim (帮帮团): stamped, the lead is the writer, members listed, not
    /// dispatched.
    GroupClaim,
    /// A new offer (资源清单) by a member or partner: the provider is the writer's own
    /// person, or (a partner's) its unit in this directory; active.
    OwnOffer,
    /// `visited` (回访): stamped, by staff, a member of the station or a visitor.
    Visit,
    /// `story` (微故事): stamped, the wish closed as fulfilled.
    Story,
    /// `checkins[person]`: the writer's own person (staff: anyone).
    OwnCheckin,
    /// `checkins[person]` by a station's shared tablet: the person is on that shift, and
    /// a new check-in names the tablet as its `device`.
    OnDuty,
    /// A ledger entry: `by` the writer (staff on behalf, audited), postings balanced.
    LedgerEntry,
    /// A second write of a deterministic `earn-<wish>-<claim>` entry (two stations
    /// confirming the same claim offline): an earn entry, balanced.
    SameEarn,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id, reported to the writer and the audit log: `wish.assigned.add`.
    pub id: &'static str,
    pub doc: DocType,
    /// Entry patterns separated by `|`: `title|text`, `events/*`, `shifts/*/checkins/*`;
    /// `*` alone matches every entry.
    pub entry: &'static str,
    /// For events (and ledger entries): the `kind`s the row covers, `|`-separated; empty
    /// for any kind.
    pub kind: &'static str,
    pub actions: &'static [Action],
    pub who: Who,
    pub check: Check,
    /// The reason given when `who` does not admit the writer.
    pub zh: &'static str,
    pub en: &'static str,
}

const ADD: &[Action] = &[Action::Add];
const EDIT: &[Action] = &[Action::Edit];
const SET: &[Action] = &[Action::Add, Action::Edit];
const ANY: &[Action] = &[Action::Add, Action::Edit, Action::Remove];
const CHANGE: &[Action] = &[Action::Edit, Action::Remove];

// One argument per column keeps the table below readable as a table.
#[allow(clippy::too_many_arguments)]
const fn row(
    id: &'static str,
    doc: DocType,
    entry: &'static str,
    actions: &'static [Action],
    who: Who,
    check: Check,
    zh: &'static str,
    en: &'static str,
) -> Rule {
    Rule {
        id,
        doc,
        entry,
        kind: "",
        actions,
        who,
        check,
        zh,
        en,
    }
}

/// A row for new claims of one or more claim kinds (`person`, `unit`, `group`).
const fn claim_row(
    id: &'static str,
    kind: &'static str,
    who: Who,
    check: Check,
    zh: &'static str,
    en: &'static str,
) -> Rule {
    Rule {
        kind,
        ..row(id, DocType::Wish, "claims/*", ADD, who, check, zh, en)
    }
}

/// A row for one or more event kinds added to a wish.
const fn event(
    id: &'static str,
    kind: &'static str,
    who: Who,
    check: Check,
    zh: &'static str,
    en: &'static str,
) -> Rule {
    Rule {
        kind,
        ..row(id, DocType::Wish, "events/*", ADD, who, check, zh, en)
    }
}

use Check as C;
use DocType::{Community, Contact, Ledger, Station, Wish};
use Who::*;

const WISH_FIXED: &str =
    "@type|schema|id|community|station|channel|created_at|created_by|on_behalf|events|claims|assigned";

/// Every write rule. Read top to bottom per document type.
pub const RULES: &[Rule] = &[
    // ── wish ────────────────────────────────────────────────────────────────────────
    row("wish.create", Wish, "@type|schema|id|community|station|channel|created_at|on_behalf|title|text|suggested_module|module|area|urgency|capacity|contact|events|claims|assigned",
        ADD, Creator, C::None, "只有采集者可以新建心愿", "only the collector creates a wish"),
    row("wish.create.collector", Wish, "created_by", ADD, Creator, C::Collector,
        "采集人必须是本设备的使用者", "created_by must be this device's person"),
    row("wish.fixed", Wish, WISH_FIXED, CHANGE, Nobody, C::None,
        "心愿的这一项建立后不可修改", "this field of a wish is fixed once created"),
    row("wish.details", Wish, "title|text|area|urgency|suggested_module", ANY, Member, C::None,
        "只有本站人员可以修改心愿内容", "only the station's people edit a wish's details"),
    row("wish.triage", Wish, "module", ANY, Staff, C::None,
        "只有本站社工可以分派模块", "only the station's coordinator triages"),
    row("wish.capacity", Wish, "capacity", SET, Staff, C::Capacity,
        "只有本站社工可以修改名额", "only the station's coordinator sets the capacity"),
    row("wish.contact", Wish, "contact", SET, Staff, C::None,
        "只有本站社工可以重新关联联系人", "only the station's coordinator links a new contact"),
    // ── issue 14: a wish linked to a project of the 项目清单.
    row("wish.project", Wish, "project", ANY, Staff, C::None,
        "只有本站社工可以把心愿关联到项目", "only the station's coordinator links a wish to a project"),
    event("wish.events.collected", "collected", Creator, C::Stamped,
        "采集记录只能在新建心愿时写入", "a collected event is written when the wish is created"),
    event("wish.events.review", "verified|rejected|triaged|published|closed|confirmed|claimed|assigned", Staff, C::Stamped,
        "只有本站社工可以审核、发布、确认或关闭心愿", "only the station's coordinator verifies, publishes, confirms or closes"),
    event("wish.events.started", "started", Anyone, C::Assignee,
        "只有已分配的认领人可以开始服务", "only an assigned claimant starts the work"),
    event("wish.events.released", "released", Anyone, C::OwnClaim,
        "只能放弃自己的认领", "only one's own claim can be released"),
    event("wish.events.resolved", "resolved", Anyone, C::OwnClaim,
        "只能为自己的认领登记完成", "only one's own assigned claim can be resolved"),
    // Closing the loop (issue 14): the visiting volunteer records the rating (代评) and
    // the 回访; the coordinator tells the story of a fulfilled wish (微故事).
    event("wish.events.rated", "rated", Anyone, C::Rating,
        "只有采集者、认领人或本站社工可以代居民评价", "only the collector, a claimant or the station's coordinator records the resident's rating"),
    event("wish.events.visited", "visited", Anyone, C::Visit,
        "只有本站人员、认领人或社工可以登记回访", "only the station's people, a claimant or the coordinator record a follow-up visit"),
    event("wish.events.story", "story", Staff, C::Story,
        "只有本站社工可以发布微故事", "only the station's coordinator publishes a story"),
    // 督办 (issue 15): the street office marks an overdue wish for follow-up.
    event("wish.events.supervised", "supervised", Office, C::Stamped,
        "只有管辖该社区的街道可以督办", "only the office covering the community marks a wish for follow-up"),
    row("wish.events.append-only", Wish, "events/*", CHANGE, Nobody, C::None,
        "记录一经写入不可修改或删除", "events are append-only"),
    // ── 派单, claims as a unit or a group (issue 14): staff may claim in another's name;
    // a unit claim names the partner's own unit, a group claim its lead and members.
    row("wish.claims.dispatch", Wish, "claims/*", ADD, Staff, C::Dispatch,
        "只有本站社工可以派单", "only the station's coordinator dispatches"),
    claim_row("wish.claims.unit", "unit", Anyone, C::UnitClaim,
        "只能以本单位的名义认领", "a unit claim must name the writer's own unit"),
    claim_row("wish.claims.group", "group", Anyone, C::GroupClaim,
        "帮帮团认领必须由团长本人提交", "a group claim is written by its lead"),
    // ── end of issue 14's claim rows.
    row("wish.claims.add", Wish, "claims/*", ADD, Anyone, C::Claim,
        "只能以自己的名义认领", "a claim must be in one's own name"),
    row("wish.claims.append-only", Wish, "claims/*", CHANGE, Nobody, C::None,
        "认领一经写入不可修改或删除", "claims are append-only"),
    row("wish.assigned.add", Wish, "assigned/*", ADD, Staff, C::Assignment,
        "只有服务器或本站社工可以分配认领", "only the server's arbitration or the station's coordinator assigns"),
    row("wish.assigned.append-only", Wish, "assigned/*", CHANGE, Nobody, C::None,
        "分配一经写入不可修改或删除", "assignments are append-only"),
    // ── contact ─────────────────────────────────────────────────────────────────────
    row("contact.create", Contact, "@type|schema|wish|station|name|phone|room|vulnerability|notes|consent",
        ADD, Creator, C::None, "联系人资料只能在采集时建立", "a contact is created when the wish is collected"),
    row("contact.create.collector", Contact, "collected_by", ADD, Creator, C::Collector,
        "采集人必须是本设备的使用者", "collected_by must be this device's person"),
    row("contact.fixed", Contact, "@type|schema|wish|station|collected_by", CHANGE, Nobody, C::None,
        "联系人资料的这一项不可修改", "this field of a contact is fixed"),
    row("contact.details", Contact, "name|phone|room|vulnerability|notes|consent", ANY, Anyone, C::None,
        "无权修改联系人资料", "may not edit this contact"),
    // ── station ─────────────────────────────────────────────────────────────────────
    row("station.create", Station, "@type|schema|id|community|name|kind|address|wishes|shifts",
        ADD, Creator, C::None, "只有驿站社工或街道可以新建站点", "only a coordinator or the office creates a station"),
    row("station.fixed", Station, "@type|schema|id|community|wishes|shifts", CHANGE, Nobody, C::None,
        "站点的这一项不可修改", "this field of a station is fixed"),
    row("station.details", Station, "name|kind|address", ANY, Staff, C::None,
        "只有本站社工可以修改站点信息", "only the station's coordinator edits the station"),
    row("station.wishes.index", Station, "wishes/*", SET, Member, C::None,
        "只有本站人员可以登记心愿", "only the station's people index its wishes"),
    row("station.wishes.keep", Station, "wishes/*", &[Action::Remove], Nobody, C::None,
        "心愿索引不可删除", "the wish index is append-only"),
    row("station.checkins", Station, "shifts/*/checkins/*", SET, Member, C::OwnCheckin,
        "只能为自己签到签退", "one checks in and out only for oneself"),
    row("station.checkins.shared-tablet", Station, "shifts/*/checkins/*", SET, SharedTablet, C::OnDuty,
        "驿站公用平板只能为本班次的值班人员签到签退", "a shared station tablet signs in only people on that shift"),
    row("station.checkins.keep", Station, "shifts/*/checkins/*", &[Action::Remove], Nobody, C::None,
        "签到记录不可删除", "check-ins are append-only"),
    row("station.shifts", Station, "shifts/*", ANY, Staff, C::None,
        "只有本站社工可以排班", "only the station's coordinator keeps the roster"),
    row("station.template", Station, "template|template/*", ANY, Staff, C::None,
        "只有本站社工可以修改排班模板", "only the station's coordinator keeps the roster template"),
    // ── community ───────────────────────────────────────────────────────────────────
    // ── issue 14: members and partners post offers to the 资源清单; only staff retire or
    // edit them and keep the 项目清单.
    row("community.offers.post", Community, "offers/*", ADD, Anyone, C::OwnOffer,
        "只能以自己或本单位的名义发布资源", "an offer is posted in one's own or one's unit's name"),
    row("community.offers.keep", Community, "offers/*", CHANGE, Staff, C::None,
        "只有驿站社工或街道可以修改或停用资源", "only a coordinator or the office edits or retires an offer"),
    row("community.projects", Community, "projects/*", ANY, Staff, C::None,
        "只有驿站社工或街道可以管理项目清单", "only a coordinator or the office keeps the projects list"),
    // ── end of issue 14's community rows.
    row("community.directory", Community, "*", ANY, Staff, C::None,
        "只有驿站社工或街道可以修改社区名录", "only a coordinator or the office edits the community"),
    // ── ledger ──────────────────────────────────────────────────────────────────────
    row("ledger.create", Ledger, "@type|schema|community|entries", ADD, Creator, C::None,
        "只有驿站社工或街道可以建立积分账本", "only a coordinator or the office creates the ledger"),
    row("ledger.fixed", Ledger, "@type|schema|community|entries", CHANGE, Nobody, C::None,
        "账本的这一项不可修改", "this field of the ledger is fixed"),
    row("ledger.entries.add", Ledger, "entries/*", ADD, Staff, C::LedgerEntry,
        "只有驿站社工或街道可以记账", "only a coordinator or the office posts to the ledger"),
    row("ledger.entries.same-earn", Ledger, "entries/*", EDIT, Staff, C::SameEarn,
        "账目一经写入不可修改", "ledger entries are append-only"),
    row("ledger.entries.append-only", Ledger, "entries/*", CHANGE, Nobody, C::None,
        "账目一经写入不可修改或删除", "ledger entries are append-only"),
];

/// The rule for a touched entry: the first row that matches and admits the writer, else
/// the first that matches (its message explains the refusal), else `None`.
pub fn find(
    doc_type: DocType,
    touched: &Touched,
    doc: &Automerge,
    relations: &Relations,
) -> Option<&'static Rule> {
    let kind = entry_kind(doc_type, touched, doc);
    let mut matching = RULES
        .iter()
        .filter(|rule| matches(rule, doc_type, touched, &kind));
    let first = matching.clone().next()?;
    Some(
        matching
            .find(|rule| rule.who.admits(relations))
            .unwrap_or(first),
    )
}

/// Whether any row names this entry (writes to entries no row names are refused for
/// schema 1, and let through for later versions, which only add fields).
pub fn known_entry(doc_type: DocType, touched: &Touched) -> bool {
    let pattern = touched.pattern();
    RULES
        .iter()
        .any(|rule| rule.doc == doc_type && pattern_matches(rule.entry, &pattern))
}

fn matches(rule: &Rule, doc_type: DocType, touched: &Touched, kind: &Option<String>) -> bool {
    rule.doc == doc_type
        && rule.actions.contains(&touched.action)
        && pattern_matches(rule.entry, &touched.pattern())
        && (rule.kind.is_empty() || kind.as_deref().is_some_and(|k| listed(rule.kind, k)))
}

fn pattern_matches(patterns: &str, pattern: &str) -> bool {
    patterns == "*" || listed(patterns, pattern)
}

fn listed(list: &str, item: &str) -> bool {
    list.split('|').any(|p| p == item)
}

/// The `kind` of an added event or claim, read from the document after the change.
fn entry_kind(doc_type: DocType, touched: &Touched, doc: &Automerge) -> Option<String> {
    let collection = touched.entry.first().map(String::as_str);
    if doc_type != DocType::Wish || !matches!(collection, Some("events" | "claims")) {
        return None;
    }
    read_string_at(doc, &touched.entry, "kind")
}
