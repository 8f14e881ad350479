// Tests the buffer's identity: made once per directory, kept across reopens, new for a new or damaged directory.
import assert from "node:assert/strict";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BUFFER_ID_FILE } from "../../../src/connect/buffer/buffer-id.ts";
import { numbered, openStore, withDir } from "./fixture.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("store-and-forward buffer id", () => {
  it("is made on first open, kept in the directory, and the same after a reopen", () =>
    withDir(async (dir) => {
      const first = await openStore(dir);
      const id = first.store.id;
      assert.match(id, UUID);
      assert.equal((await readFile(join(dir, BUFFER_ID_FILE), "utf8")).trim(), id);
      await first.store.append(numbered(0, 3));
      await first.store.close();
      const second = await openStore(dir);
      assert.equal(second.store.id, id);
      await second.store.close();
      assert.ok(!(await readdir(dir)).some((name) => name.endsWith(".tmp")), "no temporary file left behind");
    }));

  it("differs between directories", () =>
    withDir((one) =>
      withDir(async (two) => {
        const a = await openStore(one);
        const b = await openStore(two);
        assert.notEqual(a.store.id, b.store.id);
        await a.store.close();
        await b.store.close();
      }),
    ));

  it("is new when the directory was deleted, where positions start again at 0", () =>
    withDir(async (dir) => {
      const before = await openStore(dir);
      assert.equal(await before.store.append(numbered(0, 5)), 4);
      const oldId = before.store.id;
      await before.store.close();
      await rm(dir, { recursive: true });
      const after = await openStore(dir);
      assert.notEqual(after.store.id, oldId);
      assert.equal(after.store.recovery.nextPosition, 0);
      assert.equal(await after.store.append(numbered(0, 1)), 0, "position 0 again: only the id tells them apart");
      await after.store.close();
    }));

  it("is replaced when the id file is damaged, and the replacement is kept", () =>
    withDir(async (dir) => {
      const first = await openStore(dir);
      const oldId = first.store.id;
      await first.store.close();
      await writeFile(join(dir, BUFFER_ID_FILE), "not-an-id\n");
      const second = await openStore(dir);
      assert.match(second.store.id, UUID);
      assert.notEqual(second.store.id, oldId);
      const replacement = second.store.id;
      await second.store.close();
      const third = await openStore(dir);
      assert.equal(third.store.id, replacement);
      await third.store.close();
    }));

  it("recovery says at which position this run's appends begin, acked or not", () =>
    withDir(async (dir) => {
      const first = await openStore(dir);
      assert.equal(first.store.recovery.nextPosition, 0);
      await first.store.append(numbered(0, 10));
      await first.store.ack(5);
      await first.store.close();
      const second = await openStore(dir);
      assert.equal(second.store.recovery.nextPosition, 10);
      assert.equal(second.store.recovery.records, 4);
      assert.equal(await second.store.append(numbered(10, 1)), 10);
      await second.store.close();
    }));
});
