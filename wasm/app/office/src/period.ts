// The filter bar over the whole console: the period (preset or custom days) and the
// community (by name). Changing either reloads every panel.

import { h, mount, select } from "../../src/ui/dom.js";
import { t } from "../../src/i18n.js";
import type { NameBook } from "./names.js";
import { describe, PRESETS, presetRange, type Preset, type Range } from "./range.js";
import { tf } from "./text.js";

export interface Choice {
  range: Range;
  community: string;
}

export function periodBar(form: HTMLFormElement, names: NameBook, choice: Choice, changed: (next: Choice) => void): void {
  const presets = h("div", { class: "presets", role: "group" }, PRESETS.map(([preset, key]) =>
    h("button", {
      type: "button", class: preset === choice.range.preset ? "preset active" : "preset", "data-preset": preset,
      onclick: () => {
        if (preset === "custom") {
          mount(form);
          periodBar(form, names, { ...choice, range: { ...choice.range, preset } }, changed);
          return;
        }
        changed({ ...choice, range: presetRange(preset as Preset, new Date(), choice.range) });
      },
    }, t(key))));
  const from = h("input", { type: "date", id: "range-from", name: "from", value: choice.range.from }) as HTMLInputElement;
  const to = h("input", { type: "date", id: "range-to", name: "to", value: choice.range.to }) as HTMLInputElement;
  const custom = h("span", { class: "custom", hidden: choice.range.preset !== "custom" },
    h("label", {}, t("officeFrom"), " ", from), h("label", {}, t("officeTo"), " ", to),
    h("button", { type: "submit", id: "range-apply" }, t("officeApply")));
  const communities = names.communities();
  const community = select("community", [["", t("officeAllCommunities")], ...communities], choice.community);
  community.id = "community";
  community.addEventListener("change", () => changed({ ...choice, community: community.value }));
  form.onsubmit = (event) => {
    event.preventDefault();
    changed({ ...choice, range: { preset: "custom", from: from.value, to: to.value } });
  };
  mount(form,
    h("span", { class: "bar-label" }, t("officeRange")), presets, custom,
    // One community in scope: nothing to choose.
    communities.length > 1 ? h("label", { class: "community" }, h("span", { class: "bar-label" }, t("officeCommunity")), community) : null,
    // Figures of a period count the wishes collected in it: say so.
    h("span", { class: "range-note", id: "range-note" }, tf("officeRangeNote", { range: describe(choice.range) })));
}
