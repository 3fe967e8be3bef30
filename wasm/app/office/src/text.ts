// Formatting for the console: the shared i18n table's strings with `{name}` placeholders
// filled, and numbers, shares, hours and dates as office staff read them.

import { currentLang, t, type Strings } from "../../src/i18n.js";

export function tf(key: keyof Strings, vars: Record<string, string | number> = {}): string {
  return t(key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  // `+ 0` turns a negative zero (a sum of nothing) into 0, never shown as "-0".
  return (value + 0).toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A share 0..1 as a percentage. */
export function share(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return `${num(value * 100, 1)}%`;
}

export function hours(value: number | null | undefined): string {
  return num(value, 1);
}

/** A day as 2026-11-29 (the office's own dates, local time). */
export function day(ms: number | null | undefined): string {
  if (!ms) return "–";
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function dayTime(ms: number | null | undefined): string {
  if (!ms) return "–";
  const date = new Date(ms);
  return `${day(ms)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function locale(): string {
  return currentLang() === "zh" ? "zh-CN" : "en-GB";
}
