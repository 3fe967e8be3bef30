// The JSON the office API answers (`/api/v1/office/*`), typed by hand from the Rust types
// in `server/src/aggregate/reports*.rs` and `server/src/http/office/*`. The test
// `tests/tests/it/office_console_shapes.rs` reads this file and compares each interface's
// keys with a real server's responses, so a renamed or added Rust field fails the build.

/** Counts keyed by a code (status, module, channel, urgency, close reason, community). */
export type Counts = Record<string, number>;

export interface StationCount {
  community: string;
  station: string;
  count: number;
}

export interface WeekCount {
  week: string;
  created: number;
  resolved: number;
}

/** `GET /api/v1/office/summary` */
export interface Summary {
  community: string | null;
  total: number;
  by_status: Counts;
  by_module: Counts;
  by_channel: Counts;
  by_urgency: Counts;
  by_close_reason: Counts;
  by_station: StationCount[];
  by_community: Counts;
  by_week: WeekCount[];
  hours: number;
}

export interface Bucket {
  from_hours: number;
  to_hours: number | null;
  count: number;
}

export interface Duration {
  count: number;
  p50_hours: number | null;
  p90_hours: number | null;
  p99_hours: number | null;
  mean_hours: number | null;
  buckets: Bucket[];
}

/** `GET /api/v1/office/durations` */
export interface Durations {
  community: string | null;
  module: string | null;
  time_to_claim: Duration;
  time_to_resolve: Duration;
}

export interface Rated {
  rated: number;
  average: number | null;
}

export interface StationRated {
  community: string;
  station: string;
  rated: number;
  average: number | null;
}

/** `GET /api/v1/office/satisfaction` */
export interface Satisfaction {
  community: string | null;
  rated: number;
  average: number | null;
  distribution: Counts;
  by_module: Record<string, Rated>;
  by_station: StationRated[];
}

export interface WishNames {
  community: string;
  station: string;
  claimants: string[];
}

/** One row of the wish list. */
export interface WishRow {
  doc_id: string;
  id: string;
  title: string;
  community: string;
  station: string;
  module: string | null;
  status: string;
  channel: string;
  urgency: string;
  created_at: number;
  published_at: number | null;
  first_claim_at: number | null;
  assigned_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  close_reason: string | null;
  claimants: string[];
  hours: number;
  rating: number | null;
  names: WishNames;
}

/** `GET /api/v1/office/wishes` */
export interface WishPage {
  total: number;
  page: number;
  per_page: number;
  pages: number;
  items: WishRow[];
}

export interface OverdueRow extends WishRow {
  deadline: number;
  overdue_hours: number;
}

export interface Target {
  module: string | null;
  urgency: string;
  days: number;
}

/** `GET /api/v1/office/overdue` */
export interface Overdue {
  now: number;
  total: number;
  by_module: Counts;
  by_urgency: Counts;
  by_station: StationCount[];
  targets: Target[];
  page: number;
  per_page: number;
  items: OverdueRow[];
}

export interface LeaderRow {
  rank: number;
  claimant: string;
  name: string;
  hours: number;
  wishes: number;
  resolved: number;
}

/** `GET /api/v1/office/volunteers` */
export interface Volunteers {
  community: string | null;
  claimants: number;
  total_hours: number;
  page: number;
  per_page: number;
  leaderboard: LeaderRow[];
}

export interface Directory {
  people: Record<string, string>;
  units: Record<string, string>;
  stations: Record<string, string>;
  party_members: string[];
  /** Person id → the partner unit they are registered under. */
  unit_of: Record<string, string>;
}

/** `GET /api/v1/office/names` */
export interface Names {
  communities: Record<string, string>;
  directories: Record<string, Directory>;
}

export interface Shift {
  id: string;
  date: string;
  start: string;
  end: string;
}

export interface StationCoverage {
  doc_id: string;
  station: string;
  community: string;
  name: string;
  shifts: number;
  covered: number;
  uncovered: number;
  past: number;
  past_without_checkin: number;
  uncovered_shifts: Shift[];
  missed_shifts: Shift[];
}

export interface CoverageTotals {
  stations: number;
  shifts: number;
  covered: number;
  uncovered: number;
  past: number;
  past_without_checkin: number;
}

/** `GET /api/v1/office/roster-coverage` */
export interface RosterCoverage {
  community: string | null;
  from: string | null;
  to: string | null;
  now: string;
  totals: CoverageTotals;
  stations: StationCoverage[];
}

export interface Offer {
  community: string;
  id: string;
  title: string;
  module: string;
  provider: string;
  provider_kind: string;
  capacity: number;
  active: boolean;
}

export interface Project {
  community: string;
  id: string;
  title: string;
  module: string;
  status: string;
  lead: string;
  created_at: number;
}

export interface Suggestion {
  doc_id: string;
  wish: string;
  title: string;
  community: string;
  station: string;
  module: string;
  status: string;
  offers: string[];
}

/** `GET /api/v1/office/lists`: the three lists (资源清单, 需求清单, 项目清单). */
export interface Lists {
  community: string | null;
  needs: { open: number; by_module: Counts };
  offers: { total: number; active: number; by_module: Counts; items: Offer[] };
  projects: { total: number; by_status: Counts; items: Project[] };
  suggestions: Suggestion[];
}

export interface ReportFigures {
  collected: number;
  claimed: number;
  resolved: number;
  closed: number;
  overdue: number;
  needs_open: number;
  offers: number;
  offers_active: number;
  projects: number;
  projects_done: number;
  projects_new: number;
  hours: number;
  service_records: number;
  volunteers: number;
  party_volunteers: number;
  party_records: number;
  party_hours: number;
  rated: number;
  average_rating: number | null;
  shifts: number;
  shifts_covered: number;
  coverage_percent: number | null;
}

export interface ReportModule {
  module: string;
  label: string;
  collected: number;
  resolved: number;
}

export interface ReportStation {
  community: string;
  station: string;
  collected: number;
  resolved: number;
  shifts: number;
  shifts_covered: number;
}

export interface ReportVolunteer {
  name: string;
  community: string;
  party_member: boolean;
  records: number;
  hours: number;
}

/** `GET /api/v1/office/report?month=YYYY-MM` */
export interface Report {
  month: string;
  label: string;
  community: string | null;
  scope_name: string;
  generated_at: string;
  figures: ReportFigures;
  by_module: ReportModule[];
  by_station: ReportStation[];
  volunteers: ReportVolunteer[];
}

/** `GET /api/v1/office/communities`: one row per community, by name. */
export interface CommunityRow {
  community: string;
  name: string;
  stations: number;
  wishes: number;
  claimed: number;
  completed: number;
  closed_other: number;
  open_overdue: number;
  median_hours_to_claim: number | null;
  median_hours_to_resolve: number | null;
  average_rating: number | null;
  rated: number;
  volunteers_active: number;
  service_hours: number;
  party_claim_share: number | null;
  party_hours_share: number | null;
}

export interface Communities {
  from: number | null;
  to: number | null;
  rows: CommunityRow[];
}

export interface PartyFigures {
  claims: number;
  party_claims: number;
  claim_share: number | null;
  hours: number;
  party_hours: number;
  hours_share: number | null;
  volunteers: number;
  party_volunteers: number;
}

export interface CommunityParty extends PartyFigures {
  community: string;
  name: string;
}

/** `GET /api/v1/office/participation`: party members among claimants. */
export interface Participation {
  from: number | null;
  to: number | null;
  overall: PartyFigures;
  by_community: CommunityParty[];
}

export interface ClaimantRating {
  name: string;
  kind: string;
  party_member: boolean;
  community_name: string;
  rated: number;
  average: number | null;
  claimant: string;
  community: string;
}

/** A partner unit's ratings: a claimant of kind `unit`. */
export type UnitRating = ClaimantRating;

/** `GET /api/v1/office/ratings`: per partner unit and per claimant. */
export interface Ratings {
  from: number | null;
  to: number | null;
  rated: number;
  average: number | null;
  /** Claimants rated in all; `by_claimant` is one page of them. */
  claimants: number;
  page: number;
  per_page: number;
  by_unit: UnitRating[];
  by_claimant: ClaimantRating[];
}

export interface Claimant {
  id: string;
  name: string;
  kind: string;
  unit: string | null;
  filed_by_name: string | null;
}

/** One step of a wish's history, with names; the optional parts belong to some kinds. */
export interface TimelineEntry {
  at: number;
  kind: string;
  by: string | null;
  by_name: string | null;
  claimant_name: string | null;
  note: string | null;
  reason: string | null;
  module: string | null;
  hours: number | null;
  score: number | null;
  comment: string | null;
  on_behalf: boolean;
}

export interface Supervision {
  at: number;
  by: string;
  by_name: string;
  note: string | null;
}

/** `GET /api/v1/office/wishes/{doc}`: a wish's detail, names instead of ids. */
export interface WishDetail {
  doc_id: string;
  id: string;
  title: string;
  text: string;
  module: string | null;
  urgency: string;
  status: string;
  channel: string;
  community: string;
  community_name: string;
  station: string;
  station_name: string;
  created_at: number;
  created_by_name: string | null;
  claimed_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  close_reason: string | null;
  rating: number | null;
  hours: number;
  claimants: Claimant[];
  timeline: TimelineEntry[];
  supervision: Supervision | null;
}

/** `POST /api/v1/office/wishes/{doc}/supervise` */
export interface Supervised {
  doc_id: string;
  supervision: Supervision;
}

/** `GET|PUT /api/v1/office/overdue-targets`: hours per urgency for this office. */
export interface OverdueTargets {
  office: string;
  default: boolean;
  hours: Record<string, number>;
}
