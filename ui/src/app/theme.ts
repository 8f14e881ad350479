// The colour theme: dark or light, chosen by the user (kept in localStorage) or else following the system's
// prefers-color-scheme, applied as data-theme on <html> where ui/src/styles/tokens.css picks it up.
import { computed, effect, signal } from "@preact/signals";

export type Theme = "dark" | "light";

const STORAGE_KEY = "fabrik.theme";

function storedChoice(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "dark" || value === "light" ? value : null;
  } catch {
    return null; // storage blocked (privacy settings): follow the system
  }
}

const systemQuery = window.matchMedia("(prefers-color-scheme: light)");
const systemTheme = signal<Theme>(systemQuery.matches ? "light" : "dark");
systemQuery.addEventListener("change", (event) => {
  systemTheme.value = event.matches ? "light" : "dark";
});

const choice = signal<Theme | null>(storedChoice());

/** The theme in effect; canvases and charts read it to redraw in the theme's colours. */
export const theme = computed<Theme>(() => choice.value ?? systemTheme.value);

effect(() => {
  document.documentElement.dataset.theme = theme.value;
});

/** Switches to the other theme and remembers the choice. */
export function toggleTheme(): void {
  const next: Theme = theme.value === "dark" ? "light" : "dark";
  choice.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still applied
  }
}

const tokenCache = new Map<string, string>();
let tokenTheme: Theme | null = null;

/**
 * The value of a CSS custom property (a token of tokens.css) in the current theme, e.g. cssToken("--chart-1").
 * Cached per theme: reading computed styles forces a style recalculation, too slow for hundreds of sparklines.
 */
export function cssToken(name: string): string {
  // Reading the theme subscribes callers inside effects, so they re-run when it changes.
  const current = theme.value;
  if (tokenTheme !== current) {
    // Set here too, so that the answer is right whichever effect runs first.
    document.documentElement.dataset.theme = current;
    tokenCache.clear();
    tokenTheme = current;
  }
  let value = tokenCache.get(name);
  if (value === undefined) {
    value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    tokenCache.set(name, value);
  }
  return value;
}
