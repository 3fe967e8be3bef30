// 微故事: the stories coordinators told of fulfilled wishes, newest first, for showing at
// the station. Only the wish's public part and the story's text; no resident's data.

import { label, t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";

interface StoryRow {
  doc: string;
  title: string;
  station: string;
  module: string | null;
  text: string;
  at: number;
}

export function storiesScreen(session: Session): HTMLElement {
  let rows: StoryRow[] = [];
  try {
    rows = JSON.parse(session.client.stories()) as StoryRow[];
  } catch {
    rows = [];
  }
  const stations = session.community()?.stations ?? {};
  return h("main", { class: "screen board", "data-testid": "stories" },
    h("h1", {}, t("storiesTitle")),
    rows.length === 0
      ? h("p", { class: "empty" }, t("storiesEmpty"))
      : h("ul", { class: "cards" }, rows.map((s) =>
          h("li", { class: "card story", "data-testid": "story-card" },
            h("h2", {}, s.title),
            h("p", { class: "story-text" }, s.text),
            h("p", { class: "meta" }, [stations[s.station]?.name ?? "", s.module ? label(s.module) : "", when(s.at)].filter(Boolean).join(" · "))))));
}
