// Child process of the SIGKILL test: appends numbered records until it is killed, telling the parent of every append
// that resolved.   node append-child.ts <dir> <first value> <seed>
import { StoreAndForward } from "../../../src/connect/buffer/index.ts";
import { SeededRandom } from "../../../src/plc/simulated/random.ts";
import { numbered } from "./fixture.ts";

const [dir, first, seed] = process.argv.slice(2);
if (dir === undefined || first === undefined || seed === undefined || !process.send) {
  throw new Error("usage: append-child.ts <dir> <first value> <seed>, forked with an IPC channel");
}
const send = process.send.bind(process);
const store = await StoreAndForward.open(dir, {
  maxBytes: 1e12,
  maxAgeMs: 1e12,
  whenFull: "stop-sampling",
  segmentBytes: 8 * 1024 * 1024,
});
const random = new SeededRandom(Number(seed));
const inFlight: Promise<void>[] = [];
let next = Number(first);
// Several appends in flight at once, of varied and large sizes (writes of megabytes take long enough to be torn).
for (;;) {
  const from = next;
  const count = random.intBetween(1, 300);
  next += count;
  const written = store.append(numbered(from, count, 16_000));
  inFlight.push(written.then((position) => void send({ value: from + count - 1, position })));
  if (inFlight.length >= 4) await inFlight.shift();
}
