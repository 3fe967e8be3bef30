// The server's HTTP API as the tablet uses it: enrollment and finding its documents.

export interface Device {
  device_id: string;
  name: string;
  role: string;
  person: string;
  community: string;
  stations: string[];
  expires_ms: number;
}

export interface Followed {
  community: string;
  ledger: string | null;
  wishes: string[];
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error ?? text;
    } catch {
      // plain-text error
    }
    throw new Error(`${response.status}: ${message}`);
  }
  return JSON.parse(text) as T;
}

/** Redeems an enrollment code; returns the device token and record. */
export function enroll(code: string, name: string): Promise<{ token: string; device: Device }> {
  return call("/api/v1/enroll", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: code.trim().toUpperCase(), name }),
  });
}

/** The documents this device should follow. */
/** The documents to follow in `community` (the device's own unless a 街道 covering
 *  several works in another). */
export function followed(token: string, community: string): Promise<Followed> {
  const query = new URLSearchParams({ community });
  return call(`/api/v1/documents?${query}`, { headers: { authorization: `Bearer ${token}` } });
}

/** A change of this device the server refused (`GET /api/v1/refusals`). */
export interface RefusalRecord {
  id: string;
  doc: string;
  at: number;
  rule: string;
  reason: string;
  changes: string[];
}

/** This device's refused changes, newest first; the raw JSON goes to the wasm client. */
export async function refusals(token: string): Promise<string> {
  const list = await call<{ refusals: RefusalRecord[] }>("/api/v1/refusals", { headers: { authorization: `Bearer ${token}` } });
  return JSON.stringify(list);
}
