// 新增社区 (管理, 街道 only): the setup form's community and stations, and the new
// community's lead for its directory, sent with this device's token. The server builds
// the community and adds it to what this 街道 account covers (POST /api/v1/communities).

import { t } from "../../i18n.js";
import { addCommunity } from "../../manage_api.js";
import type { Session } from "../../session.js";
import { field, formValues, h, toast } from "../dom.js";
import { communityFieldset, stationsFieldset, stationsOf } from "./setup.js";

export function newCommunityScreen(session: Session): HTMLElement {
  // Once typing starts, sync must not redraw the screen and lose what was typed.
  const keep = (e: Event) => (e.target as HTMLElement).closest("main")?.setAttribute("data-keep", "");
  const form = h("form", { class: "card form", "data-testid": "new-community-form", oninput: keep },
    h("h1", {}, t("manageNewCommunity")),
    h("p", { class: "help" }, t("newCommunityHelp")),
    communityFieldset(),
    stationsFieldset(),
    h("fieldset", {}, h("legend", {}, t("communityLead")),
      field(t("leadName"), h("input", { name: "person", required: true, "data-testid": "setup-person" }))),
    h("button", { type: "submit", class: "primary big", "data-testid": "new-community-submit" }, t("addCommunity")),
  ) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit(session, form);
  });
  return h("main", { class: "screen narrow" }, form);
}

async function submit(session: Session, form: HTMLFormElement): Promise<void> {
  const values = formValues(form);
  try {
    const added = await addCommunity(session.identity.token, {
      community: { name: String(values.community), district: String(values.district) },
      stations: stationsOf(form),
      person: String(values.person),
      // The lead is listed as the community's first 驿站社工 of every station, as at setup.
      role: "coordinator",
    });
    toast(`${t("communityAdded")}：${added.name}`);
    // 当前社区 on 管理 lists it from now on.
    void session.askCovered(true);
    location.hash = "#/manage";
  } catch (error) {
    toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
  }
}
