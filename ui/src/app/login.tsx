// The login form, shown instead of the app when the server requires authentication and there is no session: a user
// name and password, or an access token, whichever the server accepts.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { Button } from "../components/button.tsx";
import { messageOf } from "../components/error-banner.tsx";
import { Icon } from "../components/icon.tsx";
import { Segmented } from "../components/segmented.tsx";
import { type Credentials, logIn, serverInfo } from "./session.ts";

type Method = "password" | "token";

export function LoginForm(): JSX.Element {
  const schemes = serverInfo.value?.schemes ?? ["basic", "bearer"];
  const methods: Method[] = [];
  if (schemes.includes("basic")) methods.push("password");
  if (schemes.includes("bearer")) methods.push("token");
  if (methods.length === 0) methods.push("password", "token");
  const [method, setMethod] = useState<Method>(methods[0]!);
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const credentials: Credentials = method === "token" ? { token } : { user, password };
    try {
      await logIn(credentials);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card panel" onSubmit={(event) => void submit(event)} data-testid="login-form">
        <div class="login-brand">
          <svg class="brand-mark" viewBox="0 0 20 20" width="28" height="28" aria-hidden="true">
            <path d="M3 17V7l5-3v4l5-3v4l4-2v10z" fill="currentColor" />
          </svg>
          <h1>Fabrik</h1>
        </div>
        <p class="muted small">This server requires you to log in.</p>
        {methods.length > 1 ? (
          <Segmented
            label="Log in with"
            value={method}
            onChange={setMethod}
            options={[
              { value: "password", label: "User and password" },
              { value: "token", label: "Access token" },
            ]}
          />
        ) : null}
        {method === "password" ? (
          <>
            <label class="field">
              User
              <input type="text" autocomplete="username" value={user} onInput={(e) => setUser(e.currentTarget.value)} />
            </label>
            <label class="field">
              Password
              <input
                type="password"
                autocomplete="current-password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </label>
          </>
        ) : (
          <label class="field">
            Token
            <input type="password" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          </label>
        )}
        {error === null ? null : (
          <p class="login-error" role="alert">
            <Icon name="bad" size={14} /> {error}
          </p>
        )}
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </Button>
      </form>
    </main>
  );
}
