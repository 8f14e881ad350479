// Client-side routing on the History API: the current path and query string as a signal, navigate() to change them,
// and hooks for pages to read them. Page state lives in the query string so that a URL can be shared and reloaded.
import { signal } from "@preact/signals";

export interface Route {
  /** The path without a trailing slash ("/" for the root), e.g. "/trends". */
  path: string;
  /** The query string; treat it as read-only (navigate() or updateQuery() to change it). */
  query: URLSearchParams;
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (for state that changes as you type). */
  replace?: boolean;
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

function readLocation(): Route {
  return { path: normalizePath(location.pathname), query: new URLSearchParams(location.search) };
}

/** The route shown now; components that read `route.value` re-render when it changes. */
export const route = signal<Route>(readLocation());

window.addEventListener("popstate", () => {
  route.value = readLocation();
});

/** The URL of a path with a query (empty values are left out). */
export function hrefOf(path: string, query?: Record<string, string> | URLSearchParams): string {
  const params = new URLSearchParams();
  if (query !== undefined) {
    const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
    for (const [name, value] of entries) if (value !== "") params.append(name, value);
  }
  const search = params.toString();
  return search === "" ? normalizePath(path) : `${normalizePath(path)}?${search}`;
}

/** Goes to a path (and query string) without reloading the page. */
export function navigate(
  path: string,
  query?: Record<string, string> | URLSearchParams,
  options: NavigateOptions = {},
): void {
  const href = hrefOf(path, query);
  if (href === `${location.pathname}${location.search}`) return;
  if (options.replace === true) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  route.value = readLocation();
}

/**
 * Changes some parameters of the current page's query string and keeps the others; a value of null or "" removes the
 * parameter. Replaces the history entry by default: filters and selections are not worth a Back step each.
 */
export function updateQuery(
  changes: Record<string, string | null>,
  options: NavigateOptions = { replace: true },
): void {
  const query = new URLSearchParams(route.value.query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === "") query.delete(name);
    else query.set(name, value);
  }
  navigate(route.value.path, query, options);
}

/** The current route; the calling component re-renders when it changes. */
export function useRoute(): Route {
  return route.value;
}

/** The current query string; the calling component re-renders when the route changes. */
export function useQuery(): URLSearchParams {
  return route.value.query;
}

/**
 * An onClick for links: plain left clicks navigate in the app; clicks with a modifier (new tab, new window) and other
 * buttons are left to the browser, which uses the link's href.
 */
export function followLink(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  const anchor = event.currentTarget;
  if (!(anchor instanceof HTMLAnchorElement) || anchor.target !== "" || anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname, new URLSearchParams(anchor.search), {});
}
