// The left navigation: the six pages, the current one marked; icons only on narrow screens.
import type { JSX } from "preact";
import { Icon } from "../components/icon.tsx";
import { Link } from "../components/link.tsx";
import { PAGES } from "./pages.tsx";
import { route } from "./router.ts";

export function Nav(): JSX.Element {
  const path = route.value.path;
  return (
    <nav class="nav" aria-label="Pages">
      <ul>
        {PAGES.map((page) => (
          <li key={page.path}>
            <Link
              path={page.path}
              class={page.path === path ? "nav-link nav-link-on" : "nav-link"}
              current={page.path === path}
              title={page.label}
              testId={`nav-${page.folder}`}
            >
              <Icon name={page.icon} size={16} />
              <span class="nav-label">{page.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
