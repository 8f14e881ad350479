// Runs the plant simulator: steps the model with the wall clock (at any speed) and serves it on its protocol faces.

import {
  createPlantGateway,
  type ModbusGateway,
  type ModbusServerOptions,
  ModbusTcpServer,
  type UnitOptions,
} from "./modbus/index.ts";
import type { CalendarConfig } from "./model/calendar.ts";
import { InvalidOptionError } from "./model/errors.ts";
import { Plant } from "./model/plant.ts";
import { createPlantCpu, S7Server, type S7ServerOptions, type SimulatedCpu } from "./s7/index.ts";

export interface SimulatorOptions {
  readonly seed: number;
  /** Simulated time at the start (ms since the epoch); the wall clock's time when absent. */
  readonly startTime?: number;
  /** Simulated seconds per wall-clock second (default 1): 60 runs an hour of plant in a minute. */
  readonly speed?: number;
  readonly calendar?: CalendarConfig;
  /** Fault switches on from the start, e.g. ["conveyor.bearing"]. */
  readonly faults?: readonly string[];
  /** The Modbus TCP face; false for none. Options out of range throw ModbusFaceOptionError here, not at `start`. */
  readonly modbus?: (ModbusServerOptions & UnitOptions) | false;
  /** The S7 face (one S7-1500 CPU, a DB per machine); none unless given. Options out of range throw S7FaceOptionError. */
  readonly s7?: S7ServerOptions;
}

export const MIN_SPEED = 0.01;
export const MAX_SPEED = 1000;
/** Wake-ups are at least this far apart, however short a tick at high speed: fewer, bigger steps cost less. */
const MIN_WAKE_MS = 20;
/**
 * The most ticks one wake-up steps. After a stall (a suspended laptop, a debugger) the simulator skips the time it
 * missed beyond this instead of freezing to catch up: the plant's clock then lags the wall clock by what was skipped.
 */
const MAX_CATCH_UP_TICKS = 50_000;

/**
 * The plant and its servers. `advance` steps the plant to where the wall clock says it should be; `start` calls it on
 * a timer and opens the faces, `stop` closes them. Tests that need determinism drive the plant themselves instead.
 */
export class Simulator {
  readonly plant: Plant;
  readonly speed: number;
  readonly gateway: ModbusGateway | undefined;
  /** The Modbus TCP server; it listens once `start` has resolved. */
  readonly modbus: ModbusTcpServer | undefined;
  /** The simulated S7 CPU and its server; the server listens once `start` has resolved. */
  readonly cpu: SimulatedCpu | undefined;
  readonly s7: S7Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Wall-clock time that corresponds to the plant's start (moved forward by skipped time). */
  private origin: number | undefined;
  private stepped = 0;

  constructor(options: SimulatorOptions) {
    const speed = options.speed ?? 1;
    if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
      throw new InvalidOptionError("speed", `${speed} is outside ${MIN_SPEED}..${MAX_SPEED}`);
    }
    this.speed = speed;
    this.plant = new Plant({
      seed: options.seed,
      startTime: options.startTime ?? Date.now(),
      ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
      ...(options.faults === undefined ? {} : { faults: options.faults }),
    });
    if (options.modbus !== false) {
      const { fillGaps, ...server } = options.modbus ?? {};
      this.gateway = createPlantGateway(this.plant, fillGaps === undefined ? {} : { fillGaps });
      this.modbus = new ModbusTcpServer(this.gateway, server);
    }
    if (options.s7 !== undefined) {
      this.cpu = createPlantCpu(this.plant);
      this.s7 = new S7Server(this.cpu, options.s7);
    }
  }

  /**
   * Steps the plant to the simulated time that `wallNow` (ms) corresponds to; the first call only sets the origin.
   * Returns the ticks stepped.
   */
  advance(wallNow: number): number {
    if (this.origin === undefined) {
      this.origin = wallNow;
      return 0;
    }
    const tickMs = this.plant.tickMs;
    const due = Math.floor(((wallNow - this.origin) * this.speed) / tickMs) - this.stepped;
    if (due <= 0) return 0;
    const ticks = Math.min(due, MAX_CATCH_UP_TICKS);
    this.plant.step(ticks);
    this.stepped += ticks;
    if (due > ticks) this.origin += ((due - ticks) * tickMs) / this.speed;
    return ticks;
  }

  /** Opens the faces and starts stepping with the wall clock; rejects when a face cannot listen (port in use). */
  async start(): Promise<void> {
    if (this.modbus !== undefined && !this.modbus.listening) await this.modbus.listen();
    if (this.s7 !== undefined && !this.s7.listening) await this.s7.listen();
    this.advance(Date.now());
    const wakeMs = Math.max(MIN_WAKE_MS, this.plant.tickMs / this.speed);
    this.timer ??= setInterval(() => this.advance(Date.now()), wakeMs);
  }

  /** Stops stepping and closes the faces; resolves when their ports are free. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([this.modbus?.close(), this.s7?.close()]);
  }
}
