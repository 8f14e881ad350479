// `fabrik sim` as a user runs it: help, usage mistakes, --describe as text and JSON, and a run stopped with Ctrl-C.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { test } from "node:test";
import { connect as connectPlc } from "../../src/plc/index.ts";
import { describeSimulator } from "../../src/sim/describe.ts";
import { Plant } from "../../src/sim/model/index.ts";
import { closeModbusSerial, modbusSerial } from "../sim/modbus/peers.ts";
import { FABRIK_MAIN, runFabrik, runFabrikAsync } from "../support/cli.ts";

const fabrik = (...args: string[]) => runFabrik(args);

test("fabrik sim --help documents every option and the exceptions", () => {
  const { code, out } = fabrik("sim", "--help");
  assert.equal(code, 0);
  assert.match(out, /^Usage: fabrik sim \[options\]/);
  for (const word of [
    "--seed",
    "--modbus-port",
    "--s7-port",
    "--host",
    "--latency",
    "--serial",
    "--fill-gaps",
    "--fault",
    "--speed",
    "--start",
    "--calendar",
    "--describe",
    "--json",
    "ILLEGAL DATA ADDRESS",
    "ILLEGAL DATA VALUE",
    "GATEWAY TARGET DEVICE FAILED TO RESPOND",
    "S7-1500",
    "0x0A",
  ]) {
    assert.ok(out.includes(word), `help mentions ${word}`);
  }
  assert.match(fabrik("--help").out, /\n {2}sim +run the plant simulator/);
});

test("fabrik sim usage mistakes say what is wrong and exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--json"], /^fabrik: sim: --json goes with --describe\n/],
    [["--seed", "abc"], /^fabrik: sim: --seed 'abc' is not a whole number/],
    [["--modbus-port", "70000"], /^fabrik: sim: --modbus-port '70000' is not a port number \(0-65535\)\n/],
    [["--s7-port", "x102"], /^fabrik: sim: --s7-port 'x102' is not a port number \(0-65535\)\n/],
    [["--seed", "2.5"], /^fabrik: sim: --seed '2\.5' is not a whole number in -9007199254740991\.\.9007199254740991\n/],
    [["--latency", "soon"], /^fabrik: sim: --latency 'soon' is not a number in 0\.\.60000\n/],
    [["--latency=-3"], /^fabrik: sim: --latency '-3' is not a number in 0\.\.60000\n/],
    [["--speed", "0"], /^fabrik: sim: --speed '0' is not a number in 0\.01\.\.1000\n/],
    [["--fault", "conveyor.gearbox"], /^fabrik: sim: unknown fault "conveyor\.gearbox" \(known: press\.cooler, /],
    [["--calendar", "weekends"], /^fabrik: sim: --calendar 'weekends' is not one of three-shifts, round-the-clock\n/],
    [["--start", "tomorrow"], /^fabrik: sim: --start 'tomorrow' is not an ISO 8601 time/],
    [["now"], /^fabrik: sim: unexpected argument 'now'\n/],
    [["--verbose"], /^fabrik: sim: Unknown option '--verbose'\n/],
  ];
  const results = await Promise.all(cases.map(([args]) => runFabrikAsync(["sim", ...args])));
  for (const [i, [args, message]] of cases.entries()) {
    const { code, err } = results[i]!;
    assert.equal(code, 2, args.join(" "));
    assert.match(err, message, args.join(" "));
    assert.ok(err.endsWith("Run 'fabrik sim --help' for usage.\n"), args.join(" "));
  }
});

test("--describe lists each machine with the chosen host, port and unit id, and the faults", () => {
  const { code, out } = fabrik("sim", "--describe", "--modbus-port", "1502", "--s7-port", "1103", "--host", "0.0.0.0");
  assert.equal(code, 0);
  assert.match(out, /^ {2}modbus-tcp 0\.0\.0\.0:1502, unit id 1: modbus-tcp:\/\/0\.0\.0\.0:1502\?unit-identifier=1$/m);
  assert.match(out, /^ {2}modbus-tcp 0\.0\.0\.0:1502, unit id 2: /m);
  assert.match(out, /^ {4}input-register:41:REAL +energy +R +kWh +Active energy/m);
  assert.match(out, /^Faults \(--fault NAME\):\n {2}press\.cooler/m);
  const s7 =
    /^ {2}s7 0\.0\.0\.0:1103, DB1: s7:\/\/0\.0\.0\.0:1103\?remote-rack=0&remote-slot=1&controller-type=S7_1500$/m;
  assert.match(out, s7);
  assert.match(out, /^ {4}%DB1\.DBD28:REAL +pressureSetpoint +RW +bar +50\.\.220 /m);
  assert.match(out, /^ {4}%I0\.0 +jam +R /m);
});

test("--describe --json is the description of the plant with that seed, every signal included", () => {
  const { code, out } = fabrik("sim", "--describe", "--json", "--seed", "42");
  assert.equal(code, 0);
  const plant = new Plant({ seed: 42, startTime: 0 });
  const expected = describeSimulator(plant.describe(), {
    modbus: { host: "127.0.0.1", port: 5020 },
    s7: { host: "127.0.0.1", port: 1102 },
  });
  assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(expected)));
  const listed = (JSON.parse(out) as typeof expected).machines.flatMap((m) => m.faces.flatMap((f) => f.tags)).length;
  assert.equal(listed, plant.describe().machines.flatMap((m) => m.signals).length);
});

test("fabrik sim serves on the ports it prints, and Ctrl-C stops it cleanly with exit 0", async () => {
  const args = ["sim", "--modbus-port", "0", "--s7-port", "0", "--start", "2024-01-08T08:00:00Z"];
  const child = spawn(process.execPath, [FABRIK_MAIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const [port, s7Port] = await new Promise<[number, number]>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Modbus TCP listening on 127\.0\.0\.1:(\d+) \(units 1 Conveyor C1, 2 Energy meter E1, /.exec(out);
      const s7 = /S7 listening on 127\.0\.0\.1:(\d+) \(S7-1500, rack 0, slot 1; DB1 Press P1, DB2 Conveyor C1, /.exec(
        out,
      );
      if (match && s7) resolve([Number(match[1]), Number(s7[1])]);
    });
    child.once("exit", (code) => reject(new Error(`fabrik sim exited (${code}) before listening: ${err}`)));
  });
  assert.match(out, /^Fabrik plant simulator: seed 1, speed 1x, simulated time from 2024-01-08T08:00:00\.000Z/);

  const client = await modbusSerial(port, 1);
  try {
    const speed = (await client.readInputRegisters(10, 2)).buffer.readFloatBE(0);
    assert.equal(speed, 24, "the conveyor runs at its nominal 24 m/min");
  } finally {
    await closeModbusSerial(client);
  }
  const plc = await connectPlc(`s7://127.0.0.1:${s7Port}?remote-slot=1`);
  try {
    const reading = await plc.read({ speed: "%DB2.DBD8:REAL" });
    assert.deepEqual(reading.speed?.code === "OK" && reading.speed.value, 24, "the same conveyor over S7");
  } finally {
    await plc.close();
  }

  const exited = once(child, "exit");
  child.kill("SIGINT");
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [0, null], err);
  assert.match(err, /fabrik sim: stopped\.\n$/);
  const probe = connect({ host: "127.0.0.1", port });
  const [error] = (await once(probe, "error")) as [NodeJS.ErrnoException];
  assert.equal(error.code, "ECONNREFUSED", "nothing listens on the port any more");
});

test("a port that is taken is reported and exits 1", async () => {
  const blocker = spawn(process.execPath, [FABRIK_MAIN, "sim", "--modbus-port", "0", "--s7-port", "0"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [port, s7Port] = await new Promise<[number, number]>((resolve) => {
    let out = "";
    blocker.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Modbus TCP listening on 127\.0\.0\.1:(\d+)/.exec(out);
      const s7 = /S7 listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (match && s7) resolve([Number(match[1]), Number(s7[1])]);
    });
  });
  try {
    const { code, err } = fabrik("sim", "--modbus-port", String(port), "--s7-port", "0");
    assert.equal(code, 1);
    assert.equal(
      err,
      `fabrik sim: cannot listen for Modbus TCP on 127.0.0.1:${port}: EADDRINUSE: the port is taken; choose another with --modbus-port (0 for any free one)\n`,
    );
    const s7 = fabrik("sim", "--modbus-port", "0", "--s7-port", String(s7Port));
    assert.equal(s7.code, 1);
    assert.equal(
      s7.err,
      `fabrik sim: cannot listen for S7 on 127.0.0.1:${s7Port}: EADDRINUSE: the port is taken; choose another with --s7-port (0 for any free one)\n`,
    );
  } finally {
    const exited = once(blocker, "exit");
    blocker.kill("SIGINT");
    await exited;
  }
});
