// The simulator's S7 face read and written by clients written by others: snap7's S7Client and nodes7.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeS7Value } from "../../../src/plc/s7/value-codec.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import type { Signal } from "../../../src/sim/model/signal.ts";
import { createPlantCpu, type DbEntry, S7Server, type SimulatedCpu } from "../../../src/sim/s7/index.ts";
import { Nodes7Client, Snap7Client } from "./peers.ts";

/** The nodes7 address of a DB entry: `DB1,REAL24`, `DB2,X24.0`, `DB4,S54.32`, `DB4,REAL30.6`. */
function nodes7Address(db: number, { address }: DbEntry<Signal>): string {
  const at = address.byteOffset;
  const count = address.count > 1 ? `.${address.count}` : "";
  switch (address.type) {
    case "BOOL":
      return `DB${db},X${at}.${address.bitOffset}`;
    case "STRING":
      return `DB${db},S${at}.${address.stringLength}`;
    case "UDINT":
      return `DB${db},DWORD${at}${count}`;
    default:
      return `DB${db},${address.type}${at}${count}`;
  }
}

describe("the simulator's S7 face with snap7 and nodes7", () => {
  const plant = new Plant({ seed: 21, startTime: Date.UTC(2024, 0, 8, 8) });
  plant.step(3000);
  let cpu: SimulatedCpu;
  let server: S7Server;

  before(async () => {
    cpu = createPlantCpu(plant);
    server = await new S7Server(cpu, { port: 0 }).listen();
  });
  after(async () => {
    await server.close();
  });

  it("snap7 reads every DB whole, each signal's bytes the model's value", async () => {
    const client = await Snap7Client.connect(server.port);
    try {
      assert.equal(client.api.PDULength(), 480, "snap7 asks for 480, the CPU grants it");
      let checked = 0;
      for (const db of cpu.dbs) {
        const map = cpu.db(db)!;
        const bytes = await client.dbRead(db, 0, map.size);
        for (const entry of map.entries) {
          const value = decodeS7Value(bytes, entry.address.byteOffset, entry.address);
          assert.deepEqual(value, plant.read(map.machine, entry.signal.name), `${map.machine}.${entry.signal.name}`);
          checked++;
        }
      }
      assert.equal(checked, plant.describe().machines.flatMap((m) => m.signals).length);
    } finally {
      client.close();
    }
  });

  it("snap7's multi-read takes 20 items across DBs and the inputs in one request", async () => {
    const client = await Snap7Client.connect(server.port);
    try {
      const entries = cpu.dbs.flatMap((db) => cpu.db(db)!.entries.map((entry) => ({ db, entry }))).slice(0, 19);
      const vars = entries.map(({ db, entry }) => ({
        Area: client.api.S7AreaDB,
        WordLen: client.api.S7WLByte,
        DBNumber: db,
        Start: entry.address.byteOffset,
        Amount: entry.address.byteLength,
      }));
      vars.push({ Area: client.api.S7AreaPE, WordLen: client.api.S7WLByte, DBNumber: 0, Start: 0, Amount: 1 });
      const results = await client.readMultiVars(vars);
      assert.equal(results.length, 20);
      entries.forEach(({ db, entry }, index) => {
        const result = results[index]!;
        assert.equal(result.Result, 0);
        const value = decodeS7Value(result.Data!, 0, entry.address);
        assert.deepEqual(value, plant.read(cpu.db(db)!.machine, entry.signal.name));
      });
      const jam = plant.read("C1", "jam") === true;
      assert.equal(results[19]!.Data![0]! & 1, jam ? 1 : 0);
    } finally {
      client.close();
    }
  });

  it("snap7 writes a setpoint into the model, and is refused a measurement", async () => {
    const client = await Snap7Client.connect(server.port);
    try {
      const value = Buffer.alloc(4);
      value.writeFloatBE(180);
      await client.dbWrite(1, 28, value);
      assert.equal(plant.read("P1", "pressureSetpoint"), 180);
      await assert.rejects(client.dbWrite(1, 24, value), /snap7: .*(Access|denied|not allowed|CPU)/i);
      const results = await client.writeMultiVars([
        {
          Area: client.api.S7AreaDB,
          WordLen: client.api.S7WLByte,
          DBNumber: 5,
          Start: 24,
          Amount: 4,
          Data: Buffer.from([0x42, 0x20, 0, 0]),
        },
        {
          Area: client.api.S7AreaMK,
          WordLen: client.api.S7WLByte,
          DBNumber: 0,
          Start: 8,
          Amount: 2,
          Data: Buffer.from([1, 2]),
        },
      ]);
      assert.deepEqual(
        results.map((r) => r.Result),
        [0, 0],
      );
      assert.equal(plant.read("K1", "speedSetpoint"), 40);
      assert.deepEqual([...cpu.markers.subarray(8, 10)], [1, 2]);
    } finally {
      client.close();
    }
  });

  it("nodes7 reads every signal by its own address syntax, all in its packed requests", async () => {
    const client = await Nodes7Client.connect(server.port);
    try {
      const wanted = cpu.dbs.flatMap((db) =>
        cpu
          .db(db)!
          .entries.map((entry) => ({ address: nodes7Address(db, entry), machine: cpu.db(db)!.machine, entry })),
      );
      const jobsBefore = server.stats.jobs;
      const { anyBad, values } = await client.read(wanted.map((w) => w.address));
      assert.equal(anyBad, false);
      for (const { address, machine, entry } of wanted) {
        const expected = plant.read(machine, entry.signal.name);
        assert.deepEqual(values[address], expected, `${address} ${machine}.${entry.signal.name}`);
      }
      assert.ok(server.stats.jobs - jobsBefore <= 3, `${server.stats.jobs - jobsBefore} requests`);
    } finally {
      await client.close();
    }
  });

  it("nodes7 writes setpoints: a REAL and a DINT", async () => {
    const client = await Nodes7Client.connect(server.port);
    try {
      const anyBad = await client.write(["DB2,REAL12", "DB6,DINT28"], [30, 12]);
      assert.equal(anyBad, false);
      assert.equal(plant.read("C1", "beltSpeedSetpoint"), 30);
      assert.equal(plant.read("L1", "packsPerLayer"), 12);
    } finally {
      await client.close();
    }
  });
});
