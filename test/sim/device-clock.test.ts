// The simulated devices' clock: answers never before their latency, in deadline order, cancellable.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DeviceClock } from "../../src/sim/device-clock.ts";

test("an action runs once its delay has passed since the given start, not before", async () => {
  const clock = new DeviceClock();
  const since = performance.now();
  const ranAt = await new Promise<number>((resolve) => clock.after(since, 7.3, () => resolve(performance.now())));
  assert.ok(ranAt - since >= 7.3, `ran after ${ranAt - since} ms`);
});

test("a delay already spent still runs later, never inside the call", async () => {
  const clock = new DeviceClock();
  let ran = false;
  const done = new Promise<void>((resolve) =>
    clock.after(performance.now() - 50, 5, () => {
      ran = true;
      resolve();
    }),
  );
  assert.equal(ran, false);
  await done;
  assert.equal(ran, true);
});

test("actions run in the order of their deadlines, whether on the timer or on loop turns", async () => {
  const clock = new DeviceClock();
  const order: string[] = [];
  const now = performance.now();
  await new Promise<void>((resolve) => {
    clock.after(now, 6, () => {
      order.push("6 ms");
      resolve();
    });
    clock.after(now, 0.5, () => order.push("0.5 ms"));
    clock.after(now, 3, () => order.push("3 ms"));
  });
  assert.deepEqual(order, ["0.5 ms", "3 ms", "6 ms"]);
});

test("after a stall, actions that came due together still run in deadline order", async () => {
  const clock = new DeviceClock();
  const order: string[] = [];
  await new Promise<void>((resolve) => {
    // Registered from a loop turn that then stalls past every deadline: the first action's turn is only the next
    // one, by when both timers have expired too.
    setImmediate(() => {
      const now = performance.now();
      clock.after(now, 0.5, () => order.push("0.5 ms"));
      clock.after(now, 3, () => order.push("3 ms"));
      clock.after(now, 6, () => {
        order.push("6 ms");
        resolve();
      });
      while (performance.now() < now + 10) {
        // The event loop is busy: a GC pause, a descheduled process.
      }
    });
  });
  assert.deepEqual(order, ["0.5 ms", "3 ms", "6 ms"]);
});

test("cancelAll drops what has not run, in either phase", async () => {
  const clock = new DeviceClock();
  let ran = 0;
  clock.after(performance.now(), 10, () => ran++);
  clock.after(performance.now(), 0.1, () => ran++);
  clock.cancelAll();
  const later = performance.now();
  await new Promise<void>((resolve) => clock.after(later, 15, resolve));
  assert.equal(ran, 0);
});
