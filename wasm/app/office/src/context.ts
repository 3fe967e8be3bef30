// What every panel of the console gets: the API, the names, the chosen period and
// community as query parameters, and the actions that cross panels.

import type { Api, Query } from "./api.js";
import type { NameBook } from "./names.js";

export interface Ctx {
  api: Api;
  names: NameBook;
  /** `from`, `to` (local days, inclusive) and `community` of the filter bar. */
  query: Query;
  /** Signed in with the administrator's key (sees everything, cannot write as an office). */
  admin: boolean;
  openWish(doc: string): void;
  reload(): void;
}
