// 兑换目录: what points buy (积分兑换): item and points, on offer or retired; add an item,
// edit one in place, retire it (past redemptions keep naming it).

import { type CatalogueItem, attempt, byName, directory } from "../../directory.js";
import { t } from "../../i18n.js";
import { randomHex, type Session } from "../../session.js";
import { field, formValues, h } from "../dom.js";

let editing: string | null = null;

export function catalogueScreen(session: Session): HTMLElement {
  const dir = directory(session);
  if (!dir) return h("main", { class: "screen" }, h("p", { class: "empty" }, t("loading")));
  const items = byName(Object.values(dir.catalogue ?? {}));
  items.sort((a, b) => Number(b.active) - Number(a.active));
  return h("main", { class: "screen" },
    h("h1", {}, t("catalogueTitle")),
    session.isCoordinator ? itemForm(session, null) : null,
    items.length === 0
      ? h("p", { class: "empty" }, t("empty"))
      : h("ul", { class: "cards", "data-testid": "catalogue" }, items.map((i) => editing === i.id ? h("li", {}, itemForm(session, i)) : itemCard(session, i))));
}

function itemCard(session: Session, item: CatalogueItem): HTMLElement {
  const edit = () => {
    editing = item.id;
    window.dispatchEvent(new Event("hashchange"));
  };
  const community = session.communityId;
  const retire = () => attempt(session, () => session.client.retireCatalogueItem(community, item.id, Date.now()), t("saved"));
  const relist = () => attempt(session, () => session.client.editCatalogueItem(community, JSON.stringify({ ...item, active: true }), Date.now()), t("saved"));
  return h("li", { class: `card${item.active ? "" : " left"}`, "data-testid": "catalogue-item", "data-item": item.id, "data-name": item.name, "data-active": String(item.active) },
    h("div", { class: "card-top" },
      h("strong", {}, item.name),
      h("span", { class: "chip" }, `${item.points} ${t("points")}`),
      h("span", { class: `chip ${item.active ? "status-assigned" : "status-closed"}` }, item.active ? t("onOffer") : t("retired"))),
    !session.isCoordinator ? null : h("div", { class: "actions" },
      h("button", { "data-testid": "edit-item", onclick: edit }, t("edit")),
      item.active
        ? h("button", { "data-testid": "retire-item", onclick: retire }, t("retire"))
        : h("button", { "data-testid": "relist-item", onclick: relist }, t("relist"))));
}

/** Adds an item (`current` null) or edits one. */
function itemForm(session: Session, current: CatalogueItem | null): HTMLElement {
  const form = h("form", { class: "card form", "data-testid": current ? "item-edit-form" : "item-form" },
    current ? null : h("h2", {}, t("addItem")),
    h("div", { class: "row" },
      field(t("itemName"), h("input", { name: "name", required: true, value: current?.name ?? "", autocomplete: "off", "data-testid": "item-name" })),
      field(t("itemPoints"), h("input", { name: "points", type: "number", min: "1", required: true, value: String(current?.points ?? 10), "data-testid": "item-points" }))),
    h("button", { type: "submit", class: "primary", "data-testid": "item-save" }, t("save")),
    current ? h("button", { type: "button", onclick: () => { editing = null; window.dispatchEvent(new Event("hashchange")); } }, t("cancel")) : null,
  ) as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const item: CatalogueItem = { id: current?.id ?? randomHex(16), name: String(v.name).trim(), points: Number(v.points), active: current?.active ?? true };
    const community = session.communityId;
    const write = current
      ? () => session.client.editCatalogueItem(community, JSON.stringify(item), Date.now())
      : () => session.client.addCatalogueItem(community, JSON.stringify(item), Date.now());
    if (await attempt(session, write, t("saved"))) {
      editing = null;
      form.reset();
    }
    window.dispatchEvent(new Event("hashchange"));
  });
  return form;
}
