// The MBAP frame splitter on a TCP byte stream: frames cut anywhere, many per chunk, and bad headers caught early.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ModbusFrameError } from "../../../src/plc/modbus/errors.ts";
import { type Adu, encodeAdu, MAX_ADU_LENGTH, MbapFrameSplitter } from "../../../src/plc/modbus/mbap.ts";
import { hexBytes, toHex } from "./vectors.ts";

const frames: Adu[] = [
  { transactionId: 1, unitId: 0x11, pdu: hexBytes("03 006B 0003") },
  { transactionId: 2, unitId: 0x11, pdu: hexBytes("03 06 022B 0000 0064") },
  { transactionId: 0xffff, unitId: 0xff, pdu: hexBytes("81 02") },
  { transactionId: 3, unitId: 0, pdu: Uint8Array.from({ length: 253 }, (_, index) => index) },
  { transactionId: 4, unitId: 2, pdu: hexBytes("07") },
];
const stream = Uint8Array.from(frames.flatMap((adu) => [...encodeAdu(adu)]));

const summary = (adus: readonly Adu[]) =>
  adus.map(({ transactionId, unitId, pdu }) => `${transactionId}/${unitId}/${toHex(pdu)}`);

test("a whole stream in one chunk gives every frame", () => {
  assert.deepEqual(summary(new MbapFrameSplitter().push(stream)), summary(frames));
});

test("cut at every single byte position, in two chunks", () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const splitter = new MbapFrameSplitter();
    const out = [...splitter.push(stream.subarray(0, cut)), ...splitter.push(stream.subarray(cut))];
    assert.deepEqual(summary(out), summary(frames), `cut at ${cut}`);
    assert.equal(splitter.bufferedBytes, 0);
  }
});

test("fed one byte at a time", () => {
  const splitter = new MbapFrameSplitter();
  const out = [...stream].flatMap((byte) => splitter.push(Uint8Array.of(byte)));
  assert.deepEqual(summary(out), summary(frames));
});

test("fed in chunks of every size from 1 to 300", () => {
  for (let size = 1; size <= 300; size++) {
    const splitter = new MbapFrameSplitter();
    const out: Adu[] = [];
    for (let offset = 0; offset < stream.length; offset += size) {
      out.push(...splitter.push(stream.subarray(offset, offset + size)));
    }
    assert.deepEqual(summary(out), summary(frames), `chunks of ${size}`);
  }
});

test("a frame within one chunk is a view into that chunk, not a copy", () => {
  const chunk = encodeAdu(frames[0]!);
  const [adu] = new MbapFrameSplitter().push(chunk);
  assert.equal(adu!.pdu.buffer, chunk.buffer);
});

test("a frame gathered across chunks survives the splitter reusing its buffer", () => {
  const splitter = new MbapFrameSplitter();
  const first = encodeAdu(frames[0]!);
  const second = encodeAdu(frames[1]!);
  splitter.push(first.subarray(0, 3));
  const [gathered] = splitter.push(Uint8Array.of(...first.subarray(3), ...second.subarray(0, 9)));
  const [next] = splitter.push(second.subarray(9));
  assert.equal(toHex(gathered!.pdu), "03006B0003");
  assert.equal(toHex(next!.pdu), "0306022B00000064");
});

test("nothing is buffered beyond one frame", () => {
  const splitter = new MbapFrameSplitter();
  const longest = encodeAdu(frames[3]!);
  assert.deepEqual(splitter.push(longest.subarray(0, MAX_ADU_LENGTH - 1)), []);
  assert.equal(splitter.bufferedBytes, MAX_ADU_LENGTH - 1);
  assert.equal(splitter.push(longest.subarray(MAX_ADU_LENGTH - 1)).length, 1);
});

test("a bad length fails as soon as the length field arrives, without waiting for the body", () => {
  const splitter = new MbapFrameSplitter();
  assert.deepEqual(splitter.push(hexBytes("0001 0000 01")), []);
  assert.throws(() => splitter.push(hexBytes("00")), { code: "MODBUS_FRAME_INVALID", field: "length", value: 256 });
});

test("a bad protocol id fails as soon as it arrives", () => {
  const splitter = new MbapFrameSplitter();
  assert.deepEqual(splitter.push(hexBytes("0001 00")), []);
  assert.throws(() => splitter.push(hexBytes("02")), { code: "MODBUS_FRAME_INVALID", field: "protocolId", value: 2 });
});

test("a bad header after good frames in the same chunk fails the chunk", () => {
  const bad = Uint8Array.of(...encodeAdu(frames[0]!), ...hexBytes("0002 0000 0000"));
  assert.throws(() => new MbapFrameSplitter().push(bad), { field: "length", value: 0 });
});

test("after a framing error the stream is refused for good: the caller must reconnect", () => {
  const splitter = new MbapFrameSplitter();
  assert.throws(() => splitter.push(hexBytes("0001 0007 0006")), ModbusFrameError);
  assert.throws(() => splitter.push(encodeAdu(frames[0]!)), { field: "protocolId", value: 7 });
});

test("an empty chunk changes nothing", () => {
  const splitter = new MbapFrameSplitter();
  splitter.push(stream.subarray(0, 4));
  assert.deepEqual(splitter.push(new Uint8Array(0)), []);
  assert.equal(splitter.bufferedBytes, 4);
  assert.equal(splitter.push(stream.subarray(4, 12)).length, 1);
});
