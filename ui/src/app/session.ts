// What the shell knows about the server and the user: /api/info (version, whether auth is required, which APIs are
// mounted), whether to show the login form, and logging in and out through /api/session.
import { signal } from "@preact/signals";
import { ApiError, apiFetch, apiJson, whenUnauthorized } from "../api/http.ts";

export interface ServerInfo {
  version: string;
  auth: "none" | "required";
  authenticated: boolean;
  schemes: string[];
  connect: boolean;
  sql: boolean;
  alerts: { table: string; acks: string } | null;
  /** The session's user name, when the server knows it. */
  user?: string;
}

/**
 * - `loading`: asking /api/info for the first time.
 * - `ready`: the app can be used (no auth, or authenticated).
 * - `login`: auth is required and there is no session (or a request got 401).
 * - `unreachable`: /api/info did not answer; the app is shown with a warning and the shell keeps asking.
 */
export type SessionState = "loading" | "ready" | "login" | "unreachable";

export const sessionState = signal<SessionState>("loading");
export const serverInfo = signal<ServerInfo | null>(null);
/** Why /api/info could not be read, while sessionState is `unreachable`. */
export const infoError = signal<string | null>(null);

let retryTimer: ReturnType<typeof setTimeout> | undefined;

/** Reads /api/info and decides between the app and the login form; retries every 5 s while the server is away. */
export async function loadSession(): Promise<void> {
  clearTimeout(retryTimer);
  try {
    const info = await apiJson<ServerInfo>("/api/info");
    serverInfo.value = info;
    infoError.value = null;
    sessionState.value = info.auth === "required" && !info.authenticated ? "login" : "ready";
  } catch (error) {
    infoError.value = error instanceof Error ? error.message : String(error);
    if (sessionState.value !== "login") sessionState.value = "unreachable";
    retryTimer = setTimeout(() => void loadSession(), 5000);
  }
}

whenUnauthorized(() => {
  if (serverInfo.value?.auth !== "none") sessionState.value = "login";
});

export type Credentials = { token: string } | { user: string; password: string };

/** Opens a session; rejects with the server's message when the credentials are wrong. */
export async function logIn(credentials: Credentials): Promise<void> {
  try {
    await apiFetch("/api/session", { method: "POST", json: credentials });
  } catch (error) {
    // A 401 here means wrong credentials, not a lost session: keep the form up, with the message.
    if (error instanceof ApiError && error.status === 401) throw new Error(error.message || "Wrong credentials");
    throw error;
  }
  await loadSession();
}

/** Ends the session and shows the login form. */
export async function logOut(): Promise<void> {
  await apiFetch("/api/session", { method: "DELETE" }).catch(() => undefined);
  sessionState.value = "login";
  serverInfo.value = serverInfo.value === null ? null : { ...serverInfo.value, authenticated: false };
}
