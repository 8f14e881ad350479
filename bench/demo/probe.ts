// What bench/demo runs inside the Overview page: a MutationObserver that notes, with the page's Date.now(), when a tag
// row first shows a sample taken after a given time (the first live value) and, while recording, how old each sample
// is when its row changes (record-to-DOM latency). The sample time is read from the row's hover text ("Sampled
// 2026-11-25 14:03:22.125", local time, written by the same render that writes the value): the Overview has no data
// attribute for it. The script is a string because this project type-checks without the DOM's types.
import type { BrowserContext, Page } from "playwright-core";

/** What the probe has seen, as the page keeps it in `globalThis.__fabrikBench`. */
export interface ProbeState {
  /** Samples taken before this (ms since the epoch) do not count as live: a warm start replays the last run's. */
  readonly after: number;
  /** When (page clock) a row first showed a sample from `after` on; its tag key and sample time. */
  readonly firstLiveAt: number | null;
  readonly firstTag: string | null;
  readonly firstTs: number | null;
  /** DOM time minus sample time, one per row change while recording. */
  readonly latencies: readonly number[];
  /** Row changes whose hover text held no sample time (BAD tags keep theirs; a change here means a format change). */
  readonly unparsed: number;
}

function probeScript(after: number): string {
  return `(() => {
  const state = { after: ${JSON.stringify(after)}, firstLiveAt: null, firstTag: null, firstTs: null,
    recording: false, latencies: [], unparsed: 0 };
  globalThis.__fabrikBench = state;
  const SAMPLED = /Sampled (\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})/;
  const sampleTime = (row) => {
    const m = SAMPLED.exec(row.getAttribute("title") || "");
    return m === null ? undefined : new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]).getTime();
  };
  const isRow = (node) => node.nodeType === 1 && node.getAttribute("data-testid") === "tag-row";
  const seeFirst = (row, at) => {
    const ts = sampleTime(row);
    if (ts === undefined || ts < state.after) return;
    state.firstLiveAt = at;
    state.firstTag = row.getAttribute("data-tag");
    state.firstTs = ts;
  };
  const observer = new MutationObserver((records) => {
    const at = Date.now();
    for (const record of records) {
      if (record.type === "attributes") {
        if (!isRow(record.target)) continue;
        const ts = sampleTime(record.target);
        if (state.recording) {
          if (ts === undefined) state.unparsed++;
          else state.latencies.push(at - ts);
        }
        if (state.firstLiveAt === null) seeFirst(record.target, at);
      } else if (state.firstLiveAt === null) {
        // A card's rows are mounted when it scrolls into view, possibly with a value already.
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          const rows = isRow(node) ? [node] : node.querySelectorAll('[data-testid="tag-row"]');
          for (const row of rows) if (state.firstLiveAt === null) seeFirst(row, at);
        }
      }
    }
  });
  const start = () => observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true,
    attributeFilter: ["title"] });
  if (document.documentElement !== null) start();
  else document.addEventListener("readystatechange", start, { once: true });
})();`;
}

/** Installs the probe in every page of `context`, from the first script on. */
export async function installProbe(context: BrowserContext, after: number): Promise<void> {
  await context.addInitScript({ content: probeScript(after) });
}

/** Resolves once the page shows a live value (or throws after `timeoutMs`). */
export async function waitForFirstLive(page: Page, timeoutMs: number): Promise<ProbeState> {
  // A function, not a string: the UI's Content-Security-Policy forbids evaluating strings in the page.
  await page.waitForFunction(
    () => (globalThis as { __fabrikBench?: { firstLiveAt: number | null } }).__fabrikBench?.firstLiveAt != null,
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return readProbe(page);
}

export async function readProbe(page: Page): Promise<ProbeState> {
  return (await page.evaluate("globalThis.__fabrikBench")) as ProbeState;
}

/** Starts (true) or stops recording latencies; starting clears what was recorded. */
export async function recordLatencies(page: Page, on: boolean): Promise<void> {
  await page.evaluate(`(() => {
    const state = globalThis.__fabrikBench;
    if (${on}) { state.latencies = []; state.unparsed = 0; }
    state.recording = ${on};
  })()`);
}
