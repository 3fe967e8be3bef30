// The office computer's sign-in: an enrollment code is redeemed once (POST /api/v1/enroll)
// and the device token kept in localStorage, like a tablet's; the administrator's key is
// kept only for this tab (sessionStorage). 退出登录 forgets both.

export const TOKEN_KEY = "wish-station.office.token";
const DEVICE_NAME = "街道办公室电脑";

export interface Session {
  token: string;
  admin: boolean;
}

export function storedSession(): Session | null {
  const device = localStorage.getItem(TOKEN_KEY);
  if (device) return { token: device, admin: false };
  const admin = sessionStorage.getItem(TOKEN_KEY);
  return admin ? { token: admin, admin: true } : null;
}

export function keep(session: Session): void {
  (session.admin ? sessionStorage : localStorage).setItem(TOKEN_KEY, session.token);
}

export function forget(): void {
  localStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Redeems `code`; the device token, or null when the server refuses the code. */
export async function enroll(code: string): Promise<string | null> {
  const response = await fetch("/api/v1/enroll", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code: code.trim(), name: DEVICE_NAME }),
  });
  if (!response.ok) return null;
  const body = (await response.json()) as { token?: unknown };
  return typeof body.token === "string" ? body.token : null;
}
