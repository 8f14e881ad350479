// Serves the built UI from one folder: files by path, index.html for client-side routes, nothing outside the folder.
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { extname, join, sep } from "node:path";
import type { FastifyReply, FastifyRequest } from "fastify";
import { pathOf } from "./errors.ts";

/** Vite's hashed build output: a file there never changes under its name. */
const IMMUTABLE = "public, max-age=31536000, immutable";

export const HTML_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fabrik: the UI is not built</title></head>
<body><h1>The web UI is not built yet</h1>
<p>Run <code>npm run build:ui</code> in the Fabrik folder, then reload this page. The APIs under /api/ work meanwhile.</p>
</body></html>
`;

interface Found {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The file under `root` that `segments` (already decoded) name, or undefined when there is none. Every segment is a
 * plain name (no `..`, `.`, separators, NUL or leading dot), and the real path, links resolved, must stay in `root`.
 */
async function fileIn(root: string, segments: readonly string[]): Promise<Found | undefined> {
  for (const segment of segments) {
    if (segment === "" || segment.startsWith(".") || /[/\\\0]/.test(segment)) return undefined;
  }
  try {
    const path = await realpath(join(root, ...segments));
    if (!path.startsWith(root + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** The decoded segments of a URL path; undefined when one is not valid percent-encoding. */
function segmentsOf(path: string): string[] | undefined {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export interface StaticFiles {
  /** Answers a GET or HEAD outside /api/ from the folder. */
  serve(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

/** The UI folder's server. The folder may be built (or rebuilt) while the server runs: nothing is cached. */
export function staticFiles(uiDir: string): StaticFiles {
  let root: string | undefined;
  const rootDir = async () => {
    root ??= await realpath(uiDir).catch(() => undefined);
    return root;
  };

  const send = (request: FastifyRequest, reply: FastifyReply, file: Found, cache: string) => {
    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
    const type = TYPES[extname(file.path).toLowerCase()] ?? "application/octet-stream";
    reply.header("content-type", type).header("cache-control", cache).header("etag", etag);
    if (type.startsWith("text/html")) reply.header("content-security-policy", HTML_CSP);
    if (request.headers["if-none-match"] === etag) return reply.code(304).send();
    reply.header("content-length", file.size);
    if (request.method === "HEAD") return reply.send();
    return reply.send(createReadStream(file.path));
  };

  const notFound = (reply: FastifyReply, path: string) =>
    reply.code(404).type("text/plain; charset=utf-8").send(`Not found: ${path}\n`);

  return {
    async serve(request, reply) {
      const path = pathOf(request.url);
      const segments = segmentsOf(path);
      if (segments === undefined) return reply.code(400).type("text/plain; charset=utf-8").send("Bad path\n");
      const dir = await rootDir();
      const last = segments.at(-1) ?? "";
      const file = dir === undefined || segments.length === 0 ? undefined : await fileIn(dir, segments);
      if (file !== undefined) {
        const cache = segments[0] === "assets" && segments.length > 1 ? IMMUTABLE : "no-cache";
        return send(request, reply, file, cache);
      }
      // A name with an extension is a file that is missing; any other path is a route of the client-side router.
      if (extname(last) !== "") return notFound(reply, path);
      const index = dir === undefined ? undefined : await fileIn(dir, ["index.html"]);
      if (index === undefined) {
        return reply
          .code(503)
          .header("cache-control", "no-store")
          .header("content-security-policy", HTML_CSP)
          .type("text/html; charset=utf-8")
          .send(NOT_BUILT);
      }
      return send(request, reply, index, "no-cache");
    },
  };
}
