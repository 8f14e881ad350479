// The UI's entry point: styles, the session check, the live feed while the app may be used, and the shell.
import { effect } from "@preact/signals";
import { render } from "preact";
import "./styles/tokens.css";
import "./styles/base.css";
import "./components/components.css";
import "./app/shell.css";
import { liveState, startLive, stopLive, whenStreamRefused } from "./api/live.ts";
import { App } from "./app/app.tsx";
import { pageOf } from "./app/pages.tsx";
import { route } from "./app/router.ts";
import { loadSession, sessionState } from "./app/session.ts";

whenStreamRefused(async () => {
  await loadSession();
  return sessionState.value === "login";
});

effect(() => {
  const state = sessionState.value;
  if (state === "ready" || state === "unreachable") startLive();
  else if (state === "login" && liveState.peek() !== "unauthorized") stopLive();
});

effect(() => {
  const page = pageOf(route.value.path);
  document.title = page === undefined ? "Fabrik" : `${page.label} · Fabrik`;
});

void loadSession();
render(<App />, document.getElementById("app")!);
