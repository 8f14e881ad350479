// Builds the web UI (Preact, uPlot, CodeMirror) into ui/dist, which the Fabrik server serves. `npm run dev:ui` serves
// it with live reload and sends /api to a running Fabrik server (FABRIK_URL, default http://127.0.0.1:8080), or
// /api/connect and /api/sql to separate `fabrik connect` and `fabrik sql server` processes (FABRIK_CONNECT_URL,
// FABRIK_SQL_URL).
import { fileURLToPath } from "node:url";
import { defineConfig, type ProxyOptions } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

function proxies(): Record<string, ProxyOptions> {
  const table: Record<string, ProxyOptions> = {};
  for (const [prefix, target] of [
    ["/api/connect", process.env.FABRIK_CONNECT_URL],
    ["/api/sql", process.env.FABRIK_SQL_URL],
  ] as const) {
    if (target === undefined) continue;
    table[prefix] = { target, changeOrigin: true, rewrite: (path) => path.slice(prefix.length) || "/" };
  }
  table["/api"] = { target: process.env.FABRIK_URL ?? "http://127.0.0.1:8080", changeOrigin: true };
  return table;
}

export default defineConfig({
  root,
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1000 },
  server: { host: "127.0.0.1", proxy: proxies() },
});
