// 积分明细: a person's statement (entries with reasons, names, balance after each) from
// the core; coordinators pick the person and record a redemption from the catalogue
// (the core refuses one above the balance, shown here), an award (表彰) with a reason,
// or a reversal (冲正) of a line.

import { activePeople, attempt, byName, directory, type Directory } from "../../directory.js";
import { label, t, when } from "../../i18n.js";
import { randomHex, type Session } from "../../session.js";
import { field, formValues, h, select } from "../dom.js";

interface StatementLine {
  entry: string;
  kind: string;
  at: number;
  by: string;
  reason: string;
  wish: string | null;
  item: string | null;
  points: number;
  hours: number;
  balance: number;
  reversed_by: string | null;
  reverses: string | null;
}

interface Statement {
  lines: StatementLine[];
  points: number;
  hours: number;
}

let chosen: string | null = null;

export function pointsScreen(session: Session): HTMLElement {
  const dir = directory(session);
  const person = session.isCoordinator ? chosen ?? session.device.person : session.device.person;
  const ledger = session.ledger;
  const statement = ledger ? readStatement(session, ledger, person) : null;
  return h("main", { class: "screen", "data-testid": "points" },
    h("h1", {}, t("pointsTitle")),
    session.isCoordinator ? personPicker(dir, person) : h("p", { class: "meta" }, session.personName(person)),
    !ledger || !statement ? h("p", { class: "empty" }, t("noLedger")) : [
      totals(statement),
      session.isCoordinator && dir ? h("div", { class: "row" }, redeemForm(session, dir, ledger, person), awardForm(session, ledger, person)) : null,
      session.isCoordinator && dir ? dutyBlock(session, dir, ledger, person) : null,
      lines(session, ledger, statement),
    ]);
}

function readStatement(session: Session, ledger: string, person: string): Statement | null {
  try {
    return JSON.parse(session.client.statement(ledger, person)) as Statement | null;
  } catch {
    return null;
  }
}

function personPicker(dir: Directory | null, person: string): HTMLElement {
  const options = activePeople(dir).map((p): [string, string] => [p.id, p.name]);
  const picker = select("person", options, person);
  picker.setAttribute("data-testid", "points-person");
  picker.addEventListener("change", () => {
    chosen = picker.value;
    window.dispatchEvent(new Event("hashchange"));
  });
  return field(t("pointsPerson"), picker);
}

function totals(s: Statement): HTMLElement {
  return h("div", { class: "figures card" },
    h("div", { class: "figure" }, h("span", { class: "figure-value", "data-testid": "points-balance" }, String(s.points)), h("span", { class: "figure-name" }, t("pointsBalance"))),
    h("div", { class: "figure" }, h("span", { class: "figure-value", "data-testid": "points-hours" }, `${s.hours.toFixed(1)} ${t("units")}`), h("span", { class: "figure-name" }, t("pointsHours"))));
}

function redeemForm(session: Session, dir: Directory, ledger: string, person: string): HTMLElement {
  const items = byName(Object.values(dir.catalogue ?? {}).filter((i) => i.active));
  const picker = select("item", items.map((i): [string, string] => [i.id, `${i.name} · ${i.points} ${t("points")}`]));
  picker.setAttribute("data-testid", "redeem-item");
  const form = h("form", { class: "card form", "data-testid": "redeem-form" },
    h("h2", {}, t("redeemTitle")),
    field(t("redeemItem"), picker),
    h("button", { type: "submit", class: "primary", "data-testid": "redeem-save" }, t("redeemButton"))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const redeem = { id: randomHex(16), person, item: String(formValues(form).item), by: session.device.person };
    void attempt(session, () => session.client.redeem(ledger, session.communityId, JSON.stringify(redeem), Date.now()), t("redeemed"));
  });
  return form;
}

function awardForm(session: Session, ledger: string, person: string): HTMLElement {
  const form = h("form", { class: "card form", "data-testid": "award-form" },
    h("h2", {}, t("awardTitle")),
    field(t("awardPoints"), h("input", { name: "points", type: "number", min: "0", value: "10", "data-testid": "award-points" })),
    field(t("awardHours"), h("input", { name: "hours", type: "number", min: "0", step: "0.5", value: "0", "data-testid": "award-hours" })),
    field(t("awardReason"), h("input", { name: "reason", required: true, autocomplete: "off", "data-testid": "award-reason" })),
    h("button", { type: "submit", class: "primary", "data-testid": "award-save" }, t("awardButton"))) as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const award = { id: randomHex(16), person, points: Number(v.points), hours: Number(v.hours), reason: String(v.reason).trim(), by: session.device.person };
    if (await attempt(session, () => session.client.award(ledger, JSON.stringify(award), Date.now()), t("saved"))) form.reset();
  });
  return form;
}

function lines(session: Session, ledger: string, s: Statement): HTMLElement {
  if (s.lines.length === 0) return h("p", { class: "empty" }, t("statementEmpty"));
  const titles = new Map(session.wishes().map((w) => [w.id, w.title]));
  const head = [t("entryWhen"), t("entryKind"), t("entryReason"), t("points"), t("pointsHours"), t("pointsBalance"), t("recordedBy"), ""];
  return h("table", { class: "statement", "data-testid": "statement" },
    h("thead", {}, h("tr", {}, head.map((name) => h("th", {}, name)))),
    h("tbody", {}, [...s.lines].reverse().map((l) =>
      h("tr", { "data-testid": "statement-line", "data-kind": l.kind, "data-entry": l.entry },
        h("td", {}, when(l.at)),
        h("td", {}, label(l.kind)),
        h("td", {}, reasonText(l, titles)),
        h("td", { class: "num" }, `${l.points > 0 ? "+" : ""}${l.points}`),
        h("td", { class: "num" }, l.hours ? `${l.hours} ${t("units")}` : ""),
        h("td", { class: "num" }, String(l.balance)),
        h("td", {}, session.personName(l.by)),
        h("td", {}, reverseCell(session, ledger, l))))));
}

/** Why, in words: the wish's title for service, the item, the award's reason. */
function reasonText(l: StatementLine, titles: Map<string, string>): string {
  const what = l.wish ? titles.get(l.wish) ?? label(l.reverses ?? l.kind) : l.reason;
  return l.reverses ? `${t("reversalOf")} · ${what}` : what;
}

function reverseCell(session: Session, ledger: string, l: StatementLine): HTMLElement | string {
  if (l.reversed_by) return t("reversed");
  if (!session.isCoordinator || l.kind === "reversal") return "";
  const reverse = () => attempt(session, () => session.client.reverseEntry(ledger, l.entry, session.device.person, Date.now()), t("saved"));
  return h("button", { "data-testid": "reverse", onclick: reverse }, t("reverseButton"));
}

interface DutyCredit {
  id: string;
  person: string;
  date: string;
  start: string;
  end: string;
  hours: number;
}

/** 值班计入服务时长: the community setting, and this person's completed duties to record. */
function dutyBlock(session: Session, dir: Directory, ledger: string, person: string): HTMLElement {
  const community = session.communityId;
  const enabled = (dir as { duty_hours?: boolean }).duty_hours === true;
  const toggle = h("input", { type: "checkbox", checked: enabled, "data-testid": "duty-hours" }) as HTMLInputElement;
  toggle.addEventListener("change", () =>
    void attempt(session, () => session.client.setDutyHours(community, toggle.checked, Date.now()), t("saved")));
  let credits: DutyCredit[] = [];
  try {
    credits = (JSON.parse(session.client.dutyCredits(community, ledger)) as DutyCredit[]).filter((c) => c.person === person);
  } catch {
    credits = [];
  }
  const record = (c: DutyCredit) => attempt(session, () => session.client.recordDuty(ledger, JSON.stringify(c), session.device.person, Date.now()), t("saved"));
  return h("section", { class: "card", "data-testid": "duty-credits" },
    h("h2", {}, t("dutyHoursTitle")),
    h("label", { class: "check" }, toggle, t("dutyHoursSetting")),
    enabled && credits.length === 0 ? h("p", { class: "empty" }, t("dutyNone")) : null,
    h("ul", {}, credits.map((c) => h("li", { "data-testid": "duty-credit" },
      `${c.date} ${c.start}–${c.end} · ${c.hours} ${t("units")} `,
      h("button", { "data-testid": "record-duty", onclick: () => record(c) }, t("dutyRecord"))))));
}
