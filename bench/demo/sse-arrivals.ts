// The live feed read from Node beside the browser: for every job sample in a `samples` event, how old it was when the
// event arrived here. That is the server's share of the record-to-DOM latency (connector, Kafka, the server's reader
// and its 100 ms batching, SSE over loopback); what the browser adds is the rest.

/** Reads `${url}/api/live` until closed, noting Date.now() − sample time for each live sample. */
export class SseArrivals {
  /** One per job sample, with its source; the history sent right after `plant` is left out. */
  readonly ages: { readonly source: string; readonly ms: number }[] = [];
  readonly #abort = new AbortController();
  readonly #done: Promise<void>;
  #historySeen = false;
  #recording = false;

  constructor(url: string) {
    this.#done = this.#read(`${url}/api/live`).catch((error: unknown) => {
      if (!this.#abort.signal.aborted) throw error;
    });
  }

  /** Starts noting ages (clearing earlier ones) or stops. */
  record(on: boolean): void {
    if (on) this.ages.length = 0;
    this.#recording = on;
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  async #read(url: string): Promise<void> {
    const response = await fetch(url, { signal: this.#abort.signal });
    if (response.status !== 200 || response.body === null) throw new Error(`GET ${url} answered ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body) {
      const at = Date.now();
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        this.#take(buffer.slice(0, end), at);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
      }
    }
  }

  #take(block: string, at: number): void {
    const lines = block.split("\n");
    if (!lines.includes("event: samples")) return;
    if (!this.#historySeen) {
      this.#historySeen = true;
      return;
    }
    if (!this.#recording) return;
    const data = lines
      .filter((line) => line.startsWith("data: "))
      .map((line) => line.slice(6))
      .join("");
    const { samples } = JSON.parse(data) as { samples: { source: string; ts: number }[] };
    for (const sample of samples) this.ages.push({ source: sample.source, ms: at - sample.ts });
  }
}
