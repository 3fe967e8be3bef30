// Names of communities, stations, people and units (`/api/v1/office/names`): the console
// never shows an id. An unknown id reads as a neutral word rather than the id itself.

import { t } from "../../src/i18n.js";
import type { Names } from "./types.js";

export class NameBook {
  constructor(readonly names: Names) {}

  community(id: string | null | undefined): string {
    return (id && this.names.communities[id]) || t("officeAllCommunities");
  }

  station(community: string, station: string): string {
    return this.names.directories[community]?.stations[station] ?? t("officeStation");
  }

  /** A person's or a unit's name within a community. */
  party(community: string, id: string): string {
    const directory = this.names.directories[community];
    return directory?.people[id] ?? directory?.units[id] ?? "—";
  }

  /** The communities in scope, sorted by name: (id, name). */
  communities(): [string, string][] {
    return Object.entries(this.names.communities).sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
  }

  /** Every station in scope: ("community/station", "社区 · 驿站", or the station alone within one community). */
  stations(community: string): [string, string][] {
    const several = !community && Object.keys(this.names.communities).length > 1;
    const out: [string, string][] = [];
    for (const [id, name] of this.communities()) {
      if (community && id !== community) continue;
      for (const [station, stationName] of Object.entries(this.names.directories[id]?.stations ?? {})) {
        out.push([`${id}/${station}`, several ? `${name} · ${stationName}` : stationName]);
      }
    }
    return out;
  }
}
