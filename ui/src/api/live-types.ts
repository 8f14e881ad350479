// The live feed's messages as the server sends them (the contract's `plant`, `samples` and `health` events), apart
// from the connection so that pure code (filters, tests) can use them without a browser.

export type Quality = "GOOD" | "BAD" | "UNCERTAIN";

export interface PlantTag {
  alias: string;
  address: string;
  unit?: string;
  description?: string;
  /** Set when a sink of the connector allow-lists this tag on its device: POST /api/write may set it. */
  writable?: { sink: string; topic: string };
}

export interface PlantJob {
  name: string;
  topic: string;
  format: "job" | "tag";
  intervalMs: number;
  tags: PlantTag[];
}

export interface PlantSource {
  connector: string;
  source: string;
  protocol: string;
  url: string;
  jobs: PlantJob[];
}

export interface TagError {
  code: string;
  message: string;
}

/** One job sample as the live feed sends it. */
export interface JobSample {
  connector: string;
  source: string;
  job: string;
  ts: number;
  tags: Record<string, unknown>;
  quality?: Record<string, Quality>;
  errors?: Record<string, TagError>;
}

export type SourceState = "connected" | "connecting" | "degraded" | "disconnected" | "paused" | "unassigned";

export interface SourceHealth {
  connector: string;
  source: string;
  state: SourceState;
  pollLatencyMs: number | null;
  errors: number;
  values: number;
  lastSampleTs: number | null;
}
