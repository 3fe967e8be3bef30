// Calls the office API with the signed-in computer's token. Errors carry the HTTP status
// so the page can say in words what went wrong (signed out, not allowed, server down).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | null | undefined>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The API as seen by one load of the page: panels asking for the same figures share one request. */
export class Api {
  private readonly seen = new Map<string, Promise<unknown>>();

  constructor(private readonly token: string) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    const url = `/api/v1/office/${path}${queryString(query)}`;
    let pending = this.seen.get(url);
    if (!pending) {
      pending = fetch(url, { headers: { Authorization: `Bearer ${this.token}` }, cache: "no-store" }).then(answer);
      this.seen.set(url, pending);
    }
    return pending as Promise<T>;
  }

  /** The same API with nothing remembered (after a write, or for a new period). */
  fresh(): Api {
    return new Api(this.token);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`/api/v1/office/${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
    return answer<T>(response);
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`/api/v1/office/${path}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
    return answer<T>(response);
  }

  /** Downloads a file of the API (an export) under `name`. */
  async download(path: string, query: Query, name: string): Promise<void> {
    const response = await fetch(`/api/v1/office/${path}${queryString(query)}`, {
      headers: { Authorization: `Bearer ${this.token}` },
      cache: "no-store",
    });
    if (!response.ok) throw new ApiError(response.status, await errorText(response));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

async function answer<T>(response: Response): Promise<T> {
  if (!response.ok) throw new ApiError(response.status, await errorText(response));
  return (await response.json()) as T;
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string") return body.error;
  } catch {
    // Not JSON: fall back to the status text.
  }
  return response.statusText || String(response.status);
}
