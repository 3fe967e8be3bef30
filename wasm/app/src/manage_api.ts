// The server's HTTP API for the management screens: first setup, devices and enrollment
// codes, imports. Every decision (scope, row checks) is the server's; these only call.

import type { Device } from "./api.js";

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error ?? text;
    } catch {
      // plain-text error
    }
    throw new Error(message);
  }
  return JSON.parse(text) as T;
}

function json(token: string | null, body: unknown): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}

// ---- first setup ----

/** Whether this server still has no community and accepts its setup code. */
export async function setupOpen(): Promise<boolean> {
  try {
    return (await call<{ open: boolean }>("/api/v1/setup")).open;
  } catch {
    return false;
  }
}

export interface SetupForm {
  code: string;
  community: { name: string; district: string };
  stations: { name: string; kind: string; address: string }[];
  person: string;
  role: string;
  device_name: string;
}

/** Creates the community; returns this browser's device token and record. */
export function setUp(form: SetupForm): Promise<{ token: string; device: Device }> {
  return call("/api/v1/setup", json(null, form));
}

/** The setup form without its code: what a 街道 sends to add a community. */
export type CommunityForm = Omit<SetupForm, "code" | "device_name">;

/** Adds a community (a 街道's or the administrator's token); the calling 街道 then
 *  covers it. Returns its id and name. */
export function addCommunity(token: string, form: CommunityForm): Promise<{ community: string; name: string }> {
  return call("/api/v1/communities", json(token, form));
}

/** The communities this device covers, id → name (a 街道's office scope). */
export async function coveredCommunities(token: string): Promise<Record<string, string>> {
  const names = await call<{ communities: Record<string, string> }>("/api/v1/office/names", {
    headers: { authorization: `Bearer ${token}` },
  });
  return names.communities;
}

// ---- devices and enrollment codes ----

export interface DeviceRecord extends Device {
  created_ms: number;
  revoked: boolean;
}

export interface NewCode {
  role: string;
  person: string;
  community: string;
  stations: string[];
  /** The other communities an office (街道) code covers. */
  covers?: string[];
  expires_in_minutes?: number;
}

export interface Code {
  role: string;
  person: string;
  code: string;
  expires_ms: number;
  qr_svg: string;
}

export function devices(token: string): Promise<DeviceRecord[]> {
  return call("/api/v1/devices", { headers: { authorization: `Bearer ${token}` } });
}

export function revoke(token: string, device: string): Promise<DeviceRecord> {
  return call(`/api/v1/devices/${encodeURIComponent(device)}/revoke`, json(token, {}));
}

export function createCode(token: string, code: NewCode): Promise<Code> {
  return call("/api/v1/enrollments", json(token, code));
}

export async function createCodes(token: string, codes: Omit<NewCode, "person"> & { people: string[] }): Promise<Code[]> {
  return (await call<{ codes: Code[] }>("/api/v1/enrollments/bulk", json(token, codes))).codes;
}

// ---- imports ----

export interface RowReport {
  line: number;
  /** The problems in English, and the same in Chinese. */
  errors: string[];
  errors_zh: string[];
  summary: string;
}

export interface ImportReport {
  rows: RowReport[];
  good: number;
  bad: number;
  imported: number;
}

/** Sends the file to check (`confirm` false) or to import (true). */
export function importFile(
  token: string,
  kind: "wishes" | "people",
  file: Blob,
  options: { confirm: boolean; station?: string },
): Promise<ImportReport> {
  const query = new URLSearchParams({ confirm: String(options.confirm) });
  if (options.station) query.set("station", options.station);
  return call(`/api/v1/import/${kind}?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: file,
  });
}
