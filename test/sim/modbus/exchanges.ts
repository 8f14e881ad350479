// Loads frames.json, the hand-checked request/response frames of the simulator's gateway, and the plant they run on.
import { readFileSync } from "node:fs";
import type { PlcValue } from "../../../src/plc/values.ts";
import { Plant } from "../../../src/sim/model/index.ts";

export interface Exchange {
  readonly name: string;
  /** Ticks to step the plant before sending the request. */
  readonly steps?: number;
  readonly request: string;
  readonly response: string;
  /** A value the model must hold once the exchange is done. */
  readonly then?: { readonly machine: string; readonly signal: string; readonly value: PlcValue };
}

interface ExchangeFile {
  readonly plant: { readonly seed: number; readonly startTime: string };
  readonly exchanges: readonly Exchange[];
}

const file = JSON.parse(readFileSync(new URL("./frames.json", import.meta.url), "utf8")) as ExchangeFile;

export const EXCHANGES = file.exchanges;

/** A fresh plant in the state the exchanges start from. */
export function exchangePlant(): Plant {
  return new Plant({ seed: file.plant.seed, startTime: Date.parse(file.plant.startTime) });
}

/** "0001 0000 ..." to bytes; spaces are only for reading. */
export function hexFrame(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ""), "hex");
}
