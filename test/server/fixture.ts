// What the server's tests share: an app over fakes (no Kafka is reached), a UI folder of their own, and SSE reading.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildFabrikApp, type FabrikAppOptions } from "../../src/server/index.ts";

/** Nothing listens here: a test that reached Kafka would fail, not hang on a real broker. */
export const NO_KAFKA = { bootstrapServers: ["127.0.0.1:9"] } as const;

export const quietLog = { warn: () => {}, error: () => {} };

export const UI_FILES: Readonly<Record<string, string>> = {
  "index.html": "<!doctype html><title>Fabrik</title><div id=app></div>",
  "assets/index-abc123.js": "console.log('fabrik');",
  "assets/index-abc123.css": "body{}",
  "favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
};

/** A temporary folder holding `dist/` (the UI, `files`) and, beside it, `secret.txt` that must never be served. */
export async function uiFolder(t: TestContext, files: Readonly<Record<string, string>> = UI_FILES): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "fabrik-server-ui-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dist = join(root, "dist");
  await mkdir(join(dist, "assets"), { recursive: true });
  for (const [path, text] of Object.entries(files)) await writeFile(join(dist, path), text);
  await writeFile(join(root, "secret.txt"), "TOP SECRET");
  return dist;
}

/** A live-feed reader that reads nothing: unit tests never reach Kafka. */
export const idleTail = () => ({ follow: () => {}, close: async () => {} });

/** The app over `options`, closed when the test ends. */
export async function serverApp(t: TestContext, options: Partial<FabrikAppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildFabrikApp({
    kafka: NO_KAFKA,
    uiDir: "/nonexistent/ui/dist",
    log: quietLog,
    live: { tail: idleTail },
    ...options,
  });
  t.after(() => app.close());
  return app;
}

export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Reads an event stream as it arrives; `next(name)` waits for the next event of that name. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly #abort = new AbortController();
  #buffer = "";
  #waiters: (() => void)[] = [];
  #ended = false;
  readonly done: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = this.#read(url, headers);
    this.done.catch(() => {});
  }

  get ended(): boolean {
    return this.#ended;
  }

  close(): void {
    this.#abort.abort();
  }

  /** The first event (from the start of the stream) named `name` that `accept` takes; waits for it to come. */
  next(name: string, accept: (data: unknown) => boolean = () => true): Promise<SseEvent> {
    return this.until(`a '${name}' event`, () => this.events.find((e) => e.event === name && accept(e.data)));
  }

  /** `condition`'s first truthy value, checked now and after each chunk of the stream. */
  async until<T>(what: string, condition: () => T | undefined | false): Promise<T> {
    for (;;) {
      const value = condition();
      if (value !== undefined && value !== false) return value;
      if (this.#ended) throw new Error(`the stream ended before ${what}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async #read(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const response = await fetch(url, { headers, signal: this.#abort.signal });
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        this.#buffer += decoder.decode(chunk, { stream: true });
        this.#parse();
      }
    } finally {
      this.#ended = true;
      this.#notify();
    }
  }

  #parse(): void {
    let end = this.#buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      end = this.#buffer.indexOf("\n\n");
      let event = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
        else if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data !== "") this.events.push({ event, data: JSON.parse(data) });
    }
    this.#notify();
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
