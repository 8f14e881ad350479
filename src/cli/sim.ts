// `fabrik sim`: runs the demo plant in real time and serves it over Modbus TCP and S7, or describes its address maps; its
// plant options (seed, speed, calendar) are `fabrik demo`'s too.
import { describeSimulator, renderDescriptionText } from "../sim/describe.ts";
import { DEFAULT_MODBUS_HOST, DEFAULT_MODBUS_PORT, MAX_LATENCY_MS, ModbusFaceError } from "../sim/modbus/index.ts";
import { type CalendarConfig, ROUND_THE_CLOCK, SimModelError, THREE_SHIFTS } from "../sim/model/index.ts";
import { MAX_SPEED, MIN_SPEED, Simulator } from "../sim/runner.ts";
import { DEFAULT_S7_PORT, S7FaceError } from "../sim/s7/index.ts";
import {
  type Command,
  HELP_OPTION,
  interrupted,
  type NumberRange,
  numberOption,
  parseCommandArgs,
  portOption,
  UsageError,
} from "./command.ts";

const HELP = `Usage: fabrik sim [options]

Runs the demo plant (press, conveyor, energy meter, robot, packer, palletizer, environment; see docs/simulator.md) in
real time, deterministic from its seed, and serves it until Ctrl-C. Every machine is a unit on one Modbus TCP gateway:
Conveyor C1 is unit 1, Energy meter E1 unit 2, the others 3..7. Every machine is also a DB of one simulated S7-1500
(rack 0, slot 1): Press P1 is DB1, the others DB2..DB7, and the BOOL sensors are inputs %I0.0..%I0.2. The ports
listened on are printed at the start.

Options:
  --seed <n>            seed of the plant's randomness (default 1): the same seed and start give the same values
  --modbus-port <n>     Modbus TCP port (default ${DEFAULT_MODBUS_PORT}; 0 picks a free one)
  --s7-port <n>         S7 (ISO-on-TCP) port (default ${DEFAULT_S7_PORT}; 0 picks a free one)
  --host <addr>         address to listen on (default ${DEFAULT_MODBUS_HOST}; 0.0.0.0 exposes it to the network)
  --latency <ms>        delay every Modbus and S7 answer by this much, 0..${MAX_LATENCY_MS} (default 0); requests in
                        flight wait in parallel
  --serial              answer one Modbus request at a time per connection, as many devices do (default: pipelined)
  --fill-gaps           answer reads of unmapped registers with zeros instead of ILLEGAL DATA ADDRESS
  --fault <name>        turn a fault switch on from the start, e.g. conveyor.bearing (repeatable; --describe lists them)
  --speed <x>           simulated seconds per real second, ${MIN_SPEED}..${MAX_SPEED} (default 1)
  --start <time>        simulated start time, ISO 8601 (default now), e.g. 2024-01-08T08:00:00Z
  --calendar <name>     three-shifts (Mon-Fri, the default) or round-the-clock (every day)
  --describe            print every machine's protocol, port, unit id and address map (PLC4X syntax), then exit
  --json                with --describe: print it as JSON
  -h, --help            this help

Modbus answers: reads of unmapped addresses and writes to anything but a whole setpoint get ILLEGAL DATA ADDRESS (2),
setpoints out of range ILLEGAL DATA VALUE (3), unit ids without a machine GATEWAY TARGET DEVICE FAILED TO RESPOND (11).
S7 answers per item: a DB no machine has 0x0A, bytes beyond a DB 0x05, a write touching a measurement 0x03, a write
covering part of a setpoint or out of its range 0x07; Q and M are plain memory.`;

const OPTIONS = {
  seed: { type: "string" },
  "modbus-port": { type: "string" },
  "s7-port": { type: "string" },
  host: { type: "string" },
  latency: { type: "string" },
  serial: { type: "boolean" },
  "fill-gaps": { type: "boolean" },
  fault: { type: "string", multiple: true },
  speed: { type: "string" },
  start: { type: "string" },
  calendar: { type: "string" },
  describe: { type: "boolean" },
  json: { type: "boolean" },
  ...HELP_OPTION,
} as const;

export type CalendarName = "three-shifts" | "round-the-clock";

const CALENDARS: Readonly<Record<CalendarName, CalendarConfig>> = {
  "three-shifts": THREE_SHIFTS,
  "round-the-clock": ROUND_THE_CLOCK,
};

/** The plant's randomness seed as an option (sim and demo): any whole number a double holds exactly. */
export const SEED_RANGE: NumberRange = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, whole: true };

/** Simulated seconds per real second as an option (sim and demo). */
export const SPEED_RANGE: NumberRange = { min: MIN_SPEED, max: MAX_SPEED };

/** `--calendar` (sim and demo): `fallback` when not given; a mistake lists the names, the command's default first. */
export function calendarOption(command: string, name: string | undefined, fallback: CalendarName): CalendarConfig {
  if (name === undefined) return CALENDARS[fallback];
  if (!Object.hasOwn(CALENDARS, name)) {
    const names = [fallback, ...Object.keys(CALENDARS).filter((n) => n !== fallback)];
    throw new UsageError(`${command}: --calendar '${name}' is not one of ${names.join(", ")}`);
  }
  return CALENDARS[name as CalendarName];
}

export const simCommand: Command = {
  name: "sim",
  summary: "run the plant simulator: every machine over Modbus TCP and S7, or --describe its address maps",
  help: HELP,
  async run(args) {
    const parsed = parseCommandArgs("sim", HELP, args, OPTIONS);
    if (!parsed) return 0;
    const v = parsed.values;
    if (v.json && !v.describe) throw new UsageError("sim: --json goes with --describe");
    const host = v.host ?? DEFAULT_MODBUS_HOST;
    const port = portOption("sim", "--modbus-port", v["modbus-port"], DEFAULT_MODBUS_PORT);
    const s7Port = portOption("sim", "--s7-port", v["s7-port"], DEFAULT_S7_PORT);
    const latencyMs = numberOption("sim", "--latency", v.latency, 0, { min: 0, max: MAX_LATENCY_MS });
    let simulator: Simulator;
    try {
      simulator = new Simulator({
        seed: numberOption("sim", "--seed", v.seed, 1, SEED_RANGE),
        ...(v.start === undefined ? {} : { startTime: parseTime(v.start) }),
        speed: numberOption("sim", "--speed", v.speed, 1, SPEED_RANGE),
        calendar: calendarOption("sim", v.calendar, "three-shifts"),
        faults: v.fault ?? [],
        modbus: {
          host,
          port,
          latencyMs,
          serial: v.serial ?? false,
          fillGaps: v["fill-gaps"] ?? false,
        },
        s7: { host, port: s7Port, latencyMs },
      });
    } catch (error) {
      // Unknown faults and options out of range are mistakes in the command line.
      if (error instanceof SimModelError || error instanceof ModbusFaceError || error instanceof S7FaceError) {
        throw new UsageError(`sim: ${error.message}`);
      }
      throw error;
    }
    if (v.describe) {
      const description = describeSimulator(simulator.plant.describe(), {
        modbus: { host, port },
        s7: { host, port: s7Port },
      });
      process.stdout.write(v.json ? `${JSON.stringify(description, null, 2)}\n` : renderDescriptionText(description));
      return 0;
    }
    return await serve(simulator, host, port, s7Port);
  },
};

async function serve(simulator: Simulator, host: string, port: number, s7Port: number): Promise<number> {
  try {
    await simulator.start();
  } catch (error) {
    // The faces listen one after the other: if Modbus listens, S7 is the one that could not.
    const s7 = simulator.modbus?.listening === true;
    const [face, option, facePort] = s7 ? ["S7", "--s7-port", s7Port] : ["Modbus TCP", "--modbus-port", port];
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === "EADDRINUSE" ? `: the port is taken; choose another with ${option} (0 for any free one)` : "";
    const reason = `${code ?? (error as Error).message}${hint}`;
    process.stderr.write(`fabrik sim: cannot listen for ${face} on ${host}:${facePort}: ${reason}\n`);
    await simulator.stop();
    return 1;
  }
  const { plant } = simulator;
  const unsubscribe = plant.onAlarm((event) => {
    const time = new Date(event.time).toISOString();
    process.stderr.write(`${time} ${event.type} ${event.alarm.id}: ${event.message}\n`);
  });
  const gateway = simulator.gateway;
  const units = (gateway?.unitIds ?? []).map((id) => `${id} ${plant.machine(gateway!.unit(id)!.machine).name}`);
  const cpu = simulator.cpu;
  const dbs = (cpu?.dbs ?? []).map((db) => `DB${db} ${plant.machine(cpu!.db(db)!.machine).name}`);
  const faults = plant.activeFaults();
  process.stdout.write(
    [
      `Fabrik plant simulator: seed ${plant.seed}, speed ${simulator.speed}x, simulated time from ${new Date(plant.now).toISOString()}${faults.length > 0 ? `, faults ${faults.join(", ")}` : ""}`,
      `Modbus TCP listening on ${host}:${simulator.modbus?.port} (units ${units.join(", ")})`,
      `S7 listening on ${host}:${simulator.s7?.port} (S7-1500, rack 0, slot 1; ${dbs.join(", ")})`,
      "'fabrik sim --describe' lists every address. Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  await interrupted();
  unsubscribe();
  await simulator.stop();
  process.stderr.write("fabrik sim: stopped.\n");
  return 0;
}

function parseTime(value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new UsageError(`sim: --start '${value}' is not an ISO 8601 time such as 2024-01-08T08:00:00Z`);
  }
  return time;
}
