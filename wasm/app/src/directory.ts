// The community directory and roster as the coordinator's screens read them (the JSON
// of wasm/src/views.rs `communityView` / `stationView`), and running a coordinator's
// operation with a toast on refusal.

import { currentLang, t } from "./i18n.js";
import type { Session } from "./session.js";
import type { Community, Station } from "./views.js";
import { toast } from "./ui/dom.js";

export interface DirectoryPerson {
  id: string;
  name: string;
  role: string;
  modules: string[];
  skills: string[];
  party_member: boolean;
  unit: string | null;
  stations: string[];
  left_at: number | null;
}

export interface Unit {
  id: string;
  name: string;
  kind: string;
  contact_person: string;
}

export interface CatalogueItem {
  id: string;
  name: string;
  points: number;
  active: boolean;
}

export interface TemplateSlot {
  id: string;
  weekdays: number[];
  start: string;
  end: string;
  note: string;
}

export interface Directory extends Omit<Community, "people" | "units"> {
  people: Record<string, DirectoryPerson>;
  units: Record<string, Unit>;
  catalogue: Record<string, CatalogueItem>;
}

export interface RosterStation extends Station {
  template: Record<string, TemplateSlot>;
}

/** Person kinds (docs/schema.md `role` of a person). */
export const PERSON_KINDS = ["volunteer", "member", "expert", "coordinator"];
/** Common partner unit kinds; the schema keeps the kind open. */
export const UNIT_KINDS = ["enterprise", "school", "hospital", "social_org", "law_firm", "association", "chamber"];

export function directory(session: Session): Directory | null {
  return session.community() as unknown as Directory | null;
}

export function rosterStation(session: Session, doc: string): RosterStation | null {
  return session.station(doc) as RosterStation | null;
}

/** Sorts by name as Chinese readers expect (pinyin order). */
export function byName<T extends { name: string }>(items: T[]): T[] {
  const collator = new Intl.Collator("zh-CN");
  return [...items].sort((a, b) => collator.compare(a.name, b.name));
}

/** People who have not left, by name: what pickers offer. */
export function activePeople(dir: Directory | null): DirectoryPerson[] {
  return byName(Object.values(dir?.people ?? {}).filter((p) => p.left_at === null));
}

/** The stations this device manages: its own, or every station for the office. */
export function managedStations(session: Session, dir: Directory | null): string[] {
  const all = Object.keys(dir?.stations ?? {});
  return ["office", "administrator"].includes(session.device.role) ? all : session.device.stations.filter((s) => all.includes(s));
}

/** Runs a write on the wasm client; shows `done` or the refusal. Returns whether it ran. */
export async function attempt(session: Session, write: () => unknown, done: string): Promise<boolean> {
  try {
    await session.runtime.run(write);
    toast(done);
    session.changed();
    return true;
  } catch (error) {
    toast(refusalText(error), "error");
    return false;
  }
}

/** A refusal of the wasm client (`中文 / English`) in the screen's language. */
export function refusalText(error: unknown): string {
  const [zh, en] = (error as Error).message.split(" / ");
  const words = currentLang() === "en" ? en ?? zh : zh;
  return `${t("actionFailed")}：${words}`;
}

/** `技能：…` in Chinese, `Skills: …` in English. */
export function labelled(name: string, value: string): string {
  return currentLang() === "en" ? `${name}: ${value}` : `${name}：${value}`;
}

/** Splits a typed list (、，, or spaces) into its items. */
export function splitList(text: string): string[] {
  return text.split(/[、，,;；\s]+/).map((s) => s.trim()).filter(Boolean);
}

/** Today's local date as YYYY-MM-DD. */
export function localDate(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
