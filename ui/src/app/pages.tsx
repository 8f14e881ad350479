/// <reference types="vite/client" />
// The six pages of the app and where they live: each page folder's index.tsx exports one component, loaded when the
// page is first shown (the SQL editor's CodeMirror and the charts stay out of the first download).
import type { ComponentType, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { EmptyState } from "../components/empty-state.tsx";
import type { IconName } from "../components/icon.tsx";

export interface PageEntry {
  path: string;
  label: string;
  icon: IconName;
  /** The folder under ui/src/pages/ and the component its index.tsx exports. */
  folder: string;
  component: string;
}

export const PAGES: readonly PageEntry[] = [
  { path: "/", label: "Overview", icon: "overview", folder: "overview", component: "OverviewPage" },
  { path: "/trends", label: "Trends", icon: "trends", folder: "trends", component: "TrendsPage" },
  { path: "/alerts", label: "Alerts", icon: "alerts", folder: "alerts", component: "AlertsPage" },
  { path: "/sql", label: "SQL", icon: "sql", folder: "sql", component: "SqlPage" },
  { path: "/connectors", label: "Connectors", icon: "connectors", folder: "connectors", component: "ConnectorsPage" },
  { path: "/topics", label: "Topics", icon: "topics", folder: "topics", component: "TopicsPage" },
];

type PageModule = Record<string, unknown>;

// A glob rather than six imports: a page whose folder has no index.tsx yet shows a notice instead of breaking the build.
const modules = import.meta.glob<PageModule>("../pages/*/index.tsx");

const loaded = new Map<string, ComponentType>();

export function pageOf(path: string): PageEntry | undefined {
  return PAGES.find((page) => page.path === path);
}

async function loadComponent(page: PageEntry): Promise<ComponentType | null> {
  const cached = loaded.get(page.folder);
  if (cached !== undefined) return cached;
  const load = modules[`../pages/${page.folder}/index.tsx`];
  if (load === undefined) return null;
  const module = await load();
  const component = module[page.component];
  if (typeof component !== "function") return null;
  loaded.set(page.folder, component as ComponentType);
  return component as ComponentType;
}

type Loading =
  | { state: "loading" }
  | { state: "ready"; component: ComponentType }
  | { state: "missing" }
  | { state: "failed" };

/** Shows a page, loading its code on first use. */
export function PageOutlet({ page }: { page: PageEntry }): JSX.Element | null {
  const [loading, setLoading] = useState<Loading>(() => {
    const cached = loaded.get(page.folder);
    return cached === undefined ? { state: "loading" } : { state: "ready", component: cached };
  });

  useEffect(() => {
    let current = true;
    const cached = loaded.get(page.folder);
    if (cached !== undefined) {
      setLoading({ state: "ready", component: cached });
      return;
    }
    setLoading({ state: "loading" });
    loadComponent(page).then(
      (component) => {
        if (current) setLoading(component === null ? { state: "missing" } : { state: "ready", component });
      },
      () => {
        if (current) setLoading({ state: "failed" });
      },
    );
    return () => {
      current = false;
    };
  }, [page]);

  if (loading.state === "loading") return null;
  if (loading.state === "missing") {
    return (
      <EmptyState title={`${page.label} is not part of this build yet`} icon={page.icon}>
        This page is still being built.
      </EmptyState>
    );
  }
  if (loading.state === "failed") {
    return (
      <EmptyState title={`${page.label} could not be loaded`} icon="bad">
        Reload the page; if the server was updated, the old files are gone.
      </EmptyState>
    );
  }
  const Page = loading.component;
  return <Page />;
}
