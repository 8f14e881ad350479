// Seeded fuzzing: random and mutated ISO-on-TCP streams must give frames and messages, or the codec's typed errors only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseS7Address } from "../../../src/plc/s7/address.ts";
import { S7CodecError } from "../../../src/plc/s7/errors.ts";
import { DataReassembler, decodeCotp } from "../../../src/plc/s7/messages/cotp.ts";
import { encodeCotpData, splitIntoDataTpdus } from "../../../src/plc/s7/messages/cotp-data.ts";
import { DATA_TRANSPORT, type DataItem } from "../../../src/plc/s7/messages/data-item.ts";
import { encodeReadVarRequest, encodeReadVarResponse } from "../../../src/plc/s7/messages/read-var.ts";
import { encodeRefusal } from "../../../src/plc/s7/messages/refusal.ts";
import { decodeS7Request, decodeS7Response } from "../../../src/plc/s7/messages/s7-pdu.ts";
import { encodeSetupCommunicationResponse } from "../../../src/plc/s7/messages/setup-communication.ts";
import { encodeTpkt, TpktFrameSplitter } from "../../../src/plc/s7/messages/tpkt.ts";
import type { VarItem } from "../../../src/plc/s7/messages/var-item.ts";
import { encodeWriteVarRequest, encodeWriteVarResponse } from "../../../src/plc/s7/messages/write-var.ts";
import { decodeS7Value } from "../../../src/plc/s7/value-codec.ts";
import { seededRandom } from "../../support/random.ts";

const ITERATIONS = 30_000;
const SEED = 0x57c0ffee;

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

function randomItem(r: Random): VarItem {
  return {
    transportSize: r.pick([1, 2, 4, 6, 8]),
    count: 1 + r.int(r.chance(0.1) ? 65535 : 40),
    dbNumber: r.int(100),
    area: r.pick([0x81, 0x82, 0x83, 0x84]),
    byteAddress: r.int(0x200000),
    bitAddress: r.int(8),
  };
}

function randomData(r: Random): DataItem {
  return r.chance(0.2)
    ? { returnCode: r.pick([0x05, 0x0a, 0x03]), transportSize: 0, data: new Uint8Array(0) }
    : {
        returnCode: 0xff,
        transportSize: r.pick([DATA_TRANSPORT.BIT, DATA_TRANSPORT.BYTE_WORD_DWORD, DATA_TRANSPORT.REAL]),
        data: r.bytes(r.int(30)),
      };
}

/** A valid S7 PDU of any kind Fabrik meets, both directions. */
function randomPdu(r: Random): Uint8Array {
  const pduReference = r.int(65536);
  const items = Array.from({ length: 1 + r.int(5) }, () => randomItem(r));
  switch (r.int(6)) {
    case 0:
      return encodeReadVarRequest({ pduReference, items });
    case 1:
      return encodeReadVarResponse({ pduReference, items: items.map(() => randomData(r)) });
    case 2:
      return encodeWriteVarRequest({
        pduReference,
        items: items.map((item) => ({ item, data: { ...randomData(r), returnCode: 0 } })),
      });
    case 3:
      return encodeWriteVarResponse({ pduReference, returnCodes: items.map(() => r.pick([0xff, 0x05, 0x0a])) });
    case 4:
      return encodeSetupCommunicationResponse({
        pduReference,
        maxAmqCaller: 1 + r.int(8),
        maxAmqCallee: 1 + r.int(8),
        pduLength: 240 + r.int(800),
      });
    default:
      return encodeRefusal({
        pduReference,
        errorClass: r.pick([0x81, 0x85, 0x87, r.int(256) | 1]),
        errorCode: r.int(256),
        functionCode: undefined,
      });
  }
}

/** Bit flips, cuts, extensions and lies in the length fields, any number of them. */
function mutate(stream: Uint8Array, r: Random): Uint8Array {
  let bytes = stream;
  for (let round = r.int(4); round > 0; round--) {
    switch (r.int(7)) {
      case 0:
        if (bytes.length > 0) bytes[r.int(bytes.length)]! ^= 1 << r.int(8);
        break;
      case 6:
        // The COTP header of the first frame: length indicator, TPDU code, EOT.
        if (bytes.length > 6) bytes[4 + r.int(3)] = r.int(256);
        break;
      case 1:
        bytes = bytes.slice(0, r.int(bytes.length + 1));
        break;
      case 2:
        bytes = Uint8Array.of(...bytes, ...r.bytes(1 + r.int(20)));
        break;
      case 3: {
        // The TPKT length of the first frame: small lies and wild ones.
        if (bytes.length < 4) break;
        const length = r.chance(0.5) ? ((bytes[2]! << 8) | bytes[3]!) + r.int(7) - 3 : r.int(65536);
        bytes[2] = (length >>> 8) & 0xff;
        bytes[3] = length & 0xff;
        break;
      }
      case 4: {
        // An S7 length field (parameter or data length) of the first PDU.
        const at = 7 + 6 + 2 * r.int(2);
        if (bytes.length > at + 1) {
          bytes[at] = r.int(256);
          bytes[at + 1] = r.int(256);
        }
        break;
      }
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
    if (!(error instanceof S7CodecError)) throw error;
    tally.set(`${label} error`, (tally.get(`${label} error`) ?? 0) + 1);
    return undefined;
  }
}

const VALUE_TYPES = [
  "%DB1:0:STRING(6)",
  "%DB1:0:WSTRING(3)",
  "%DB1:0:S5TIME",
  "%DB1:0:DT",
  "%DB1:0:DTL",
  "%DB1:0:TOD",
  "%DB1:0:LTOD",
  "%DB1:0:DATE",
].map(parseS7Address);

test(`${ITERATIONS} random and mutated streams give frames or typed errors, never anything else`, {
  timeout: 120_000,
}, () => {
  const r = random(SEED);
  const tally = new Map<string, number>();
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const pdus = Array.from({ length: 1 + r.int(3) }, () => randomPdu(r));
    const tpduSize = r.pick([64, 128, 1024]);
    const frames = pdus.flatMap((pdu) => splitIntoDataTpdus(pdu, tpduSize).map(encodeTpkt));
    if (r.chance(0.1))
      frames.push(encodeTpkt(encodeCotpData({ eot: true, tpduNumber: 0, payload: r.bytes(r.int(40)) })));
    const clean = Uint8Array.from(frames.flatMap((frame) => [...frame]));
    const stream = r.chance(0.3) ? clean : mutate(clean, r);

    const maxFrame = r.chance(0.5) ? 2000 : 65535;
    const splitter = new TpktFrameSplitter(maxFrame);
    const reassembler = new DataReassembler(r.pick([240, 960, 0xffff]));
    for (let offset = 0; offset < stream.length; ) {
      const size = r.chance(0.5) ? stream.length : 1 + r.int(40);
      const tpdus = outcome(() => splitter.push(stream.subarray(offset, offset + size)), tally, "split");
      offset += size;
      if (tpdus === undefined) break;
      for (const bytes of tpdus) {
        const tpdu = outcome(() => decodeCotp(bytes), tally, "cotp");
        if (tpdu?.kind !== "DT") continue;
        const pdu = outcome(() => reassembler.push(tpdu), tally, "reassemble");
        if (pdu === undefined) continue;
        outcome(() => decodeS7Response(pdu), tally, "response");
        outcome(() => decodeS7Request(pdu), tally, "request");
      }
      assert.ok(
        splitter.bufferedBytes < maxFrame,
        `${splitter.bufferedBytes} bytes buffered for a ${maxFrame}-byte frame`,
      );
    }
    const bytes = r.bytes(16);
    outcome(() => decodeS7Value(bytes, 0, r.pick(VALUE_TYPES)), tally, "value");
  }
  // The run must have taken every path, or it proved little.
  for (const label of ["split", "cotp", "response", "request", "value"]) {
    assert.ok((tally.get(`${label} ok`) ?? 0) > 300, `${label} ok: ${tally.get(`${label} ok`)}`);
    assert.ok((tally.get(`${label} error`) ?? 0) > 300, `${label} error: ${tally.get(`${label} error`)}`);
  }
});
