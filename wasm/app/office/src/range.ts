// The period the console shows: a preset (本月, 上月, 本季度, 本年, 全部时间) or a custom
// pair of days, as the `from`/`to` local dates (both inclusive) the office API takes.

import { t, type Strings } from "../../src/i18n.js";
import { pad, tf } from "./text.js";

export type Preset = "month" | "last_month" | "quarter" | "year" | "all" | "custom";

export const PRESETS: [Preset, keyof Strings][] = [
  ["month", "officeThisMonth"],
  ["last_month", "officeLastMonth"],
  ["quarter", "officeQuarter"],
  ["year", "officeYear"],
  ["all", "officeEverything"],
  ["custom", "officeCustom"],
];

export interface Range {
  preset: Preset;
  from: string; // YYYY-MM-DD, "" for no bound
  to: string;
}

export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The days of a preset, as of `today`. */
export function presetRange(preset: Preset, today: Date, custom: Range): Range {
  const y = today.getFullYear();
  const m = today.getMonth();
  const span = (from: Date, to: Date): Range => ({ preset, from: isoDay(from), to: isoDay(to) });
  switch (preset) {
    case "month":
      return span(new Date(y, m, 1), new Date(y, m + 1, 0));
    case "last_month":
      return span(new Date(y, m - 1, 1), new Date(y, m, 0));
    case "quarter": {
      const first = m - (m % 3);
      return span(new Date(y, first, 1), new Date(y, first + 3, 0));
    }
    case "year":
      return span(new Date(y, 0, 1), new Date(y, 11, 31));
    case "all":
      return { preset, from: "", to: "" };
    case "custom":
      return { preset, from: custom.from, to: custom.to };
  }
}

/** How the period reads in a sentence ("2026-11-01 至 2026-11-30"). */
export function describe(range: Range): string {
  if (!range.from && !range.to) return t("officeRangeAll");
  return tf("officeRangeSpan", { from: range.from || "…", to: range.to || "…" });
}

/** The month (YYYY-MM) the monthly report should open on: the period's last month. */
export function reportMonth(range: Range, today: Date): string {
  const day = range.to || isoDay(today);
  return day.slice(0, 7);
}
