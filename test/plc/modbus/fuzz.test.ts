// Seeded fuzzing: random and mutated Modbus TCP streams must give frames and messages, or the codec's typed errors only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ModbusCodecError, ModbusPduError } from "../../../src/plc/modbus/errors.ts";
import { decodeAdu, encodeAdu, MAX_PDU_LENGTH, MbapFrameSplitter } from "../../../src/plc/modbus/mbap.ts";
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type ModbusRequest,
  type ModbusResponse,
  QUANTITY_LIMITS,
} from "../../../src/plc/modbus/pdu.ts";
import { BYTE_ORDERS, type RegisterLayout, registerCount } from "../../../src/plc/modbus/register-layout.ts";
import { decodeRegisters, encodeRegisters } from "../../../src/plc/modbus/registers.ts";
import { DATA_TYPES } from "../../../src/plc/values.ts";
import { seededRandom } from "../../support/random.ts";

const ITERATIONS = 50_000;
const SEED = 0x5eedf00d;

/** mulberry32: small, fast, and the same sequence on every run. */
function random(seed: number) {
  const next = seededRandom(seed);
  const int = (below: number) => Math.floor(next() * below);
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    bytes: (length: number) => Uint8Array.from({ length }, () => int(256)),
  };
}
type Random = ReturnType<typeof random>;

const FUNCTIONS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0f, 0x10] as const;

/** A valid request, its size biased towards the limits where off-by-one bugs live. */
function randomRequest(r: Random): ModbusRequest {
  const functionCode = r.pick(FUNCTIONS);
  const max = QUANTITY_LIMITS[functionCode];
  const quantity = r.pick([1, max, 1 + r.int(max)]);
  const address = r.chance(0.3) ? 65536 - quantity : r.int(65537 - quantity);
  switch (functionCode) {
    case 0x05:
      return { functionCode, address, value: r.chance(0.5) };
    case 0x06:
      return { functionCode, address, value: r.int(65536) };
    case 0x0f:
      return { functionCode, address, values: Array.from({ length: quantity }, () => r.chance(0.5)) };
    case 0x10:
      return { functionCode, address, values: Array.from({ length: quantity }, () => r.int(65536)) };
    default:
      return { functionCode, address, quantity };
  }
}

/** The valid normal response to `request`. */
function responseTo(request: ModbusRequest, r: Random): ModbusResponse {
  switch (request.functionCode) {
    case 0x01:
    case 0x02:
      return {
        functionCode: request.functionCode,
        values: Array.from({ length: request.quantity }, () => r.chance(0.5)),
      };
    case 0x03:
    case 0x04:
      return {
        functionCode: request.functionCode,
        values: Array.from({ length: request.quantity }, () => r.int(65536)),
      };
    case 0x0f:
    case 0x10:
      return { functionCode: request.functionCode, address: request.address, quantity: request.values.length };
    default:
      return request;
  }
}

function randomPdu(request: ModbusRequest, r: Random): Uint8Array {
  switch (r.int(4)) {
    case 0:
      return encodeRequest(request);
    case 1:
      return encodeResponse(responseTo(request, r));
    case 2:
      return encodeResponse({ functionCode: request.functionCode, exceptionCode: 1 + r.int(255) });
    default:
      return r.bytes(1 + r.int(MAX_PDU_LENGTH));
  }
}

/** Bit flips, cuts, extensions and lies in the header fields, any number of them. */
function mutate(stream: Uint8Array, r: Random): Uint8Array {
  let bytes = stream;
  for (let round = r.int(4); round > 0; round--) {
    switch (r.int(6)) {
      case 0:
        if (bytes.length > 0) bytes[r.int(bytes.length)]! ^= 1 << r.int(8);
        break;
      case 1:
        bytes = bytes.slice(0, r.int(bytes.length + 1));
        break;
      case 2:
        bytes = Uint8Array.of(...bytes, ...r.bytes(1 + r.int(20)));
        break;
      case 3: {
        // The length field of the first frame: small lies (off by a few) and wild ones.
        if (bytes.length < 6) break;
        const length = r.chance(0.5) ? ((bytes[4]! << 8) | bytes[5]!) + r.int(7) - 3 : r.int(65536);
        bytes[4] = (length >>> 8) & 0xff;
        bytes[5] = length & 0xff;
        break;
      }
      case 4:
        if (bytes.length >= 4) bytes[2 + r.int(2)] = r.int(256);
        break;
      default:
        bytes = r.bytes(r.int(300));
    }
  }
  return bytes;
}

/** Runs a codec call: it must return, or throw a codec error; anything else fails the test. */
function outcome<T>(action: () => T, tally: Map<string, number>, label: string): T | undefined {
  try {
    const value = action();
    tally.set(`${label} ok`, (tally.get(`${label} ok`) ?? 0) + 1);
    return value;
  } catch (error) {
    if (!(error instanceof ModbusCodecError)) throw error;
    if (error instanceof ModbusPduError) assert.ok([1, 2, 3].includes(error.exceptionCode), error.message);
    tally.set(`${label} error`, (tally.get(`${label} error`) ?? 0) + 1);
    return undefined;
  }
}

function fuzzFrame(pdu: Uint8Array, request: ModbusRequest, tally: Map<string, number>): void {
  assert.ok(pdu.length >= 1 && pdu.length <= MAX_PDU_LENGTH, `PDU of ${pdu.length} bytes`);
  // Whatever decodes must account for every byte: re-encoded it has the same length and decodes the same again.
  const asRequest = outcome(() => decodeRequest(pdu), tally, "request");
  if (asRequest) {
    const again = encodeRequest(asRequest);
    assert.equal(again.length, pdu.length);
    assert.deepEqual(decodeRequest(again), asRequest);
  }
  const asResponse = outcome(() => decodeResponse(pdu, request), tally, "response");
  if (asResponse) {
    const again = encodeResponse(asResponse);
    assert.equal(again.length, pdu.length);
    assert.deepEqual(decodeResponse(again, request), asResponse);
  }
}

function fuzzRegisters(r: Random, tally: Map<string, number>): void {
  const dataType = r.pick(DATA_TYPES);
  const text = dataType === "STRING" || dataType === "WSTRING";
  const layout: RegisterLayout = {
    dataType,
    byteOrder: r.pick(BYTE_ORDERS),
    ...(text ? { stringLength: 1 + r.int(6) } : {}),
    ...(r.chance(0.5) ? { arrayLength: 1 + r.int(5) } : {}),
  };
  const count = outcome(() => registerCount(layout), tally, "layout") ?? 1;
  const length = r.chance(0.9) ? count : count + r.int(3) - 1;
  const words = Array.from({ length }, () => (r.chance(0.001) ? 65536 : r.int(65536)));
  const value = outcome(() => decodeRegisters(words, layout), tally, "registers");
  if (value !== undefined) assert.deepEqual(decodeRegisters(encodeRegisters(value, layout), layout), value);
}

test(`${ITERATIONS} random and mutated streams give frames or typed errors, never anything else`, {
  timeout: 120_000,
}, () => {
  const r = random(SEED);
  const tally = new Map<string, number>();
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const request = randomRequest(r);
    const frames = Array.from({ length: 1 + r.int(3) }, () =>
      encodeAdu({ transactionId: r.int(65536), unitId: r.int(256), pdu: randomPdu(request, r) }),
    );
    const clean = Uint8Array.from(frames.flatMap((frame) => [...frame]));
    const stream = r.chance(0.3) ? clean : mutate(clean, r);

    outcome(() => decodeAdu(stream), tally, "adu");
    const splitter = new MbapFrameSplitter();
    for (let offset = 0; offset < stream.length; ) {
      const size = r.chance(0.5) ? stream.length : 1 + r.int(40);
      const adus = outcome(() => splitter.push(stream.subarray(offset, offset + size)), tally, "split");
      offset += size;
      if (adus === undefined) break;
      for (const adu of adus) fuzzFrame(adu.pdu, request, tally);
      assert.ok(splitter.bufferedBytes < 260, `${splitter.bufferedBytes} bytes buffered`);
    }
    fuzzRegisters(r, tally);
  }
  // The run must have taken every path, or it proved little.
  for (const label of ["adu", "split", "request", "response", "registers"]) {
    assert.ok((tally.get(`${label} ok`) ?? 0) > 500, `${label} ok: ${tally.get(`${label} ok`)}`);
    assert.ok((tally.get(`${label} error`) ?? 0) > 500, `${label} error: ${tally.get(`${label} error`)}`);
  }
});
