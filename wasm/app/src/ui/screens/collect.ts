// Collecting a wish door to door: consent, contact, coarse location, the wish itself.

import { CHANNELS, label, MODULES, t, URGENCIES, VULNERABILITIES } from "../../i18n.js";
import type { Session } from "../../session.js";
import { field, formValues, h, select, toast } from "../dom.js";

export function collectScreen(session: Session, go: (route: string) => void): HTMLElement {
  const community = session.community();
  const stations = session.device.stations.map((id): [string, string] => [id, community?.stations[id]?.name ?? id]);
  const check = (name: string, text: string, checked = false) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name, checked, "data-testid": `collect-${name}` }), text);
  const input = (name: string, attrs: Record<string, string | boolean> = {}) =>
    h("input", { name, "data-testid": `collect-${name}`, ...attrs });

  const form = h(
    "form",
    { class: "card form", "data-testid": "collect-form" },
    h("h1", {}, t("collectTitle")),
    stations.length > 1 ? field(t("station"), select("station", stations)) : h("input", { type: "hidden", name: "station", value: stations[0]?.[0] ?? "" }),
    h("fieldset", {},
      h("legend", {}, t("contactSection")),
      check("consent_given", t("consent")),
      check("consent_on_behalf", t("consentOnBehalf")),
      h("div", { class: "row" },
        field(t("residentName"), input("name", { autocomplete: "off" })),
        field(t("phone"), input("phone", { type: "tel", autocomplete: "off" })),
        field(t("room"), input("room", { autocomplete: "off" })),
      ),
      h("div", { class: "checks" }, VULNERABILITIES.map((v) => check(`v_${v}`, label(v)))),
      field(t("notes"), input("notes")),
    ),
    h("fieldset", {},
      h("legend", {}, t("areaSection")),
      h("div", { class: "row" },
        field(t("compound"), input("compound", { required: true })),
        field(t("building"), input("building")),
      ),
    ),
    h("fieldset", {},
      h("legend", {}, t("wishSection")),
      field(t("title"), input("title", { required: true })),
      field(t("text"), h("textarea", { name: "text", rows: 4, "data-testid": "collect-text" })),
      h("div", { class: "row" },
        field(t("suggestedModule"), select("suggested_module", [["", t("noModule")], ...MODULES.map((m): [string, string] => [m, label(m)])])),
        field(t("channel"), select("channel", CHANNELS.map((c): [string, string] => [c, label(c)]), "door_to_door")),
        field(t("urgency"), select("urgency", URGENCIES.map((u): [string, string] => [u, label(u)]), "normal")),
        field(t("capacity"), input("capacity", { type: "number", min: "1", value: "1" })),
      ),
      check("on_behalf", t("onBehalf"), true),
    ),
    h("button", { type: "submit", class: "primary big", "data-testid": "collect-save" }, t("save")),
  ) as HTMLFormElement;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const hasContact = Boolean(v.name || v.phone || v.room);
    const card = {
      station: v.station,
      title: v.title,
      text: v.text,
      suggested_module: v.suggested_module || null,
      channel: v.channel,
      compound: v.compound,
      building: v.building,
      urgency: v.urgency,
      capacity: Number(v.capacity) || 1,
      on_behalf: v.on_behalf,
      contact: hasContact
        ? {
            name: v.name, phone: v.phone, room: v.room, notes: v.notes,
            vulnerability: VULNERABILITIES.filter((x) => v[`v_${x}`]),
            consent_given: v.consent_given, consent_on_behalf: v.consent_on_behalf,
          }
        : null,
    };
    try {
      const { wish_doc } = await session.collect(card);
      toast(t("savedLocally"));
      go(`wish/${wish_doc}`);
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  });
  return h("main", { class: "screen" }, form);
}
