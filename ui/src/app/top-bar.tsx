// The bar across the top: the product, the live feed's state (is what I see current?), the user, and the theme switch.
import type { JSX } from "preact";
import { lastEventAt, liveState, now, retryAt } from "../api/live.ts";
import { Button } from "../components/button.tsx";
import { formatTime } from "../components/format.ts";
import { StatusPill } from "../components/status-pill.tsx";
import { followLink } from "./router.ts";
import { logOut, serverInfo } from "./session.ts";
import { theme, toggleTheme } from "./theme.ts";

function LiveIndicator(): JSX.Element {
  const state = liveState.value;
  const last = lastEventAt.value;
  const lastText = last === null ? "nothing received yet" : `last event at ${formatTime(last)}`;
  switch (state) {
    case "live":
      return <StatusPill state="live" label="Live" title={`Live feed connected, ${lastText}`} testId="live-state" />;
    case "connecting":
      return <StatusPill state="connecting" label="Connecting" title="Opening the live feed" testId="live-state" />;
    case "reconnecting": {
      const at = retryAt.value;
      const seconds = at === null ? null : Math.max(0, Math.ceil((at - now.value) / 1000));
      const label = seconds === null || seconds === 0 ? "Reconnecting" : `Reconnecting in ${seconds} s`;
      return (
        <StatusPill
          state="reconnecting"
          label={label}
          title={`Live feed lost, ${lastText}: values shown may be old`}
          testId="live-state"
        />
      );
    }
    case "unauthorized":
      return <StatusPill state="offline" label="Login needed" testId="live-state" />;
    default:
      return <StatusPill state="stopped" label="Offline" title="The live feed is not running" testId="live-state" />;
  }
}

export function TopBar(): JSX.Element {
  const info = serverInfo.value;
  const dark = theme.value === "dark";
  return (
    <header class="top-bar">
      <a class="brand" href="/" aria-label="Fabrik home" onClick={followLink}>
        <svg class="brand-mark" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
          <path d="M3 17V7l5-3v4l5-3v4l4-2v10z" fill="currentColor" />
        </svg>
        <span class="brand-name">Fabrik</span>
      </a>
      <div class="top-bar-spacer" />
      <LiveIndicator />
      {info === null ? null : (
        <span class="top-bar-version muted small" title="Fabrik server version">
          v{info.version}
        </span>
      )}
      {info?.auth === "required" && info.authenticated ? (
        <span class="top-bar-user">
          {info.user === undefined ? null : <span class="small">{info.user}</span>}
          <Button variant="ghost" icon="logout" ariaLabel="Log out" title="Log out" onClick={() => void logOut()} />
        </span>
      ) : null}
      <Button
        variant="ghost"
        icon={dark ? "sun" : "moon"}
        ariaLabel={dark ? "Switch to the light theme" : "Switch to the dark theme"}
        title={dark ? "Light theme" : "Dark theme"}
        testId="theme-toggle"
        onClick={toggleTheme}
      />
    </header>
  );
}
