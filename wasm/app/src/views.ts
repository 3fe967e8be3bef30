// The shapes of the JSON views the wasm client returns (wasm/src/views.rs).

export interface WishEvent {
  id: string;
  kind: string;
  at: number;
  by: string;
  note?: string | null;
  reason?: string | null;
  module?: string | null;
  hours?: number | null;
  score?: number | null;
  comment?: string | null;
  claim?: string | null;
}

export interface Claim {
  id: string;
  kind: string;
  claimant: string;
  at: number;
  by: string;
  note?: string | null;
}

export interface Wish {
  id: string;
  community: string;
  station: string;
  title: string;
  text: string;
  module: string | null;
  suggested_module: string | null;
  channel: string;
  compound: string;
  building: string;
  urgency: string;
  capacity: number;
  on_behalf: boolean;
  created_at: number;
  created_by: string;
  contact: string | null;
  events: WishEvent[];
  claims: Claim[];
}

/** The server refused a change this tablet holds (wasm/src/refusals.rs). */
export interface RefusedMark {
  id: string;
  rule: string;
  reason: string;
  reason_zh: string;
  reason_en: string;
}

export interface WishRow {
  doc: string;
  id: string;
  title: string;
  station: string;
  module: string | null;
  suggested_module: string | null;
  urgency: string;
  channel: string;
  compound: string;
  building: string;
  capacity: number;
  created_at: number;
  created_by: string;
  saved: boolean;
  status: string;
  on_wall: boolean;
  conflicts: number;
  pending_claims: number;
  assigned_claims: number;
  my_claim: "pending" | "assigned" | null;
  refused: RefusedMark | null;
  supervision: SupervisionMark | null;
}

/** The street office's open 督办 mark on a wish. */
export interface SupervisionMark {
  at: number;
  note: string | null;
}

export interface ClaimRow extends Claim {
  state: "pending" | "assigned" | "released";
  resolved_hours: number | null;
  confirmed: boolean;
  /** Steps the viewer could take on this claim now, as the core decides. */
  actions: ("release" | "assign" | "resolve" | "confirm")[];
}

export interface WishDetail {
  doc: string;
  saved: boolean;
  status: string;
  on_wall: boolean;
  free_capacity: number;
  actions: string[];
  /** `book` (against an offer), `link` (to a project) and `edit` when the core allows them. */
  extra_actions: ("book" | "link" | "edit")[];
  conflicts: { path: string; values: string[] }[];
  claims: ClaimRow[];
  refused: RefusedMark | null;
  supervision: SupervisionMark | null;
  wish: Wish;
}

export interface Shift {
  id: string;
  date: string;
  start: string;
  end: string;
  assignees: Record<string, string>;
  checkins: Record<string, { in: number; out: number | null }>;
  note: string;
}

export interface Station {
  id: string;
  community: string;
  name: string;
  shifts: Record<string, Shift>;
}

export interface Person {
  id: string;
  name: string;
  role: string;
  modules?: string[];
}

/** What the wall is narrowed to (`WallFilter` in client-core); empty keeps everything. */
export interface WallFilter {
  module?: string | null;
  compound?: string | null;
  min_urgency?: string | null;
  modules?: string[];
}

export interface Community {
  id: string;
  name: string;
  stations: Record<string, { name: string; kind: string; doc: string }>;
  people: Record<string, Person>;
  units: Record<string, { id: string; name: string }>;
  star_thresholds: number[];
}

export interface Contact {
  name: string;
  phone: string;
  room: string;
  vulnerability: string[];
  notes: string;
}

export interface Standing {
  hours: number;
  points: number;
  stars: number;
  thresholds: number[];
  next_threshold: number | null;
}
