// The app shell: the top bar, the page navigation and the page of the current route; the login form instead when the
// server wants one; a warning while the server cannot be reached.
import type { JSX } from "preact";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { LoginForm } from "./login.tsx";
import { Nav } from "./nav.tsx";
import { PageOutlet, pageOf } from "./pages.tsx";
import { route } from "./router.ts";
import { infoError, loadSession, sessionState } from "./session.ts";
import { TopBar } from "./top-bar.tsx";

function Content(): JSX.Element {
  const page = pageOf(route.value.path);
  if (page === undefined) {
    return (
      <div class="page">
        <EmptyState title="No such page" icon="info" testId="not-found">
          {route.value.path} is not a page of Fabrik. Pick one on the left.
        </EmptyState>
      </div>
    );
  }
  // Keyed by page: each page starts with its own state, never a frame of the previous one.
  return <PageOutlet key={page.path} page={page} />;
}

export function App(): JSX.Element | null {
  const state = sessionState.value;
  if (state === "loading") return null;
  if (state === "login") return <LoginForm />;
  return (
    <div class="shell">
      <TopBar />
      <Nav />
      <main class="content" id="content">
        {state === "unreachable" ? (
          <div class="content-banner">
            <ErrorBanner
              warning
              title="The Fabrik server does not answer"
              error={infoError.value ?? "no answer"}
              onRetry={() => void loadSession()}
            />
          </div>
        ) : null}
        <Content />
      </main>
    </div>
  );
}
