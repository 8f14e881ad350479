// Runs every hand-checked Modbus frame in frames/*.json through the codecs both ways, bare and inside a TCP frame.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeAdu, encodeAdu, MbapFrameSplitter } from "../../../src/plc/modbus/mbap.ts";
import type { ExceptionResponse } from "../../../src/plc/modbus/messages/exception.ts";
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type ModbusRequest,
  type ModbusResponse,
} from "../../../src/plc/modbus/pdu.ts";
import { assertCodecError, type ExpectedError, hexBytes, loadVectorFiles, toHex } from "./vectors.ts";

/** One case of a PDU vector file; which keys are present says what is tested. */
interface PduCase {
  readonly name: string;
  readonly pdu?: string;
  /** The request this PDU decodes to (and encodes from). */
  readonly request?: ModbusRequest;
  /** For a response PDU: the request it answers. */
  readonly answers?: ModbusRequest;
  readonly response?: ModbusResponse | ExceptionResponse;
  /** Decodes to the structure, but encoding that gives canonical bytes, not these. */
  readonly decodeOnly?: boolean;
  readonly encodeRequest?: ModbusRequest;
  readonly encodeResponse?: ModbusResponse | ExceptionResponse;
  readonly error?: ExpectedError;
}

interface MbapVectors {
  readonly frames: readonly { name: string; adu: string; transactionId: number; unitId: number; pdu: string }[];
  readonly badFrames: readonly {
    name: string;
    adu: string;
    error: ExpectedError;
    splitter?: "error" | "incomplete";
    splitterError?: ExpectedError;
  }[];
  readonly badAdus: readonly {
    name: string;
    adu: { transactionId: number; unitId: number; pdu: string };
    error: ExpectedError;
  }[];
}

const files = loadVectorFiles<{ cases?: readonly PduCase[] } & Partial<MbapVectors>>("frames");

/** Wraps a PDU in a TCP frame, splits it back out one byte at a time and returns what came out. */
function throughTcp(pdu: Uint8Array): Uint8Array {
  const frame = encodeAdu({ transactionId: 0x2a, unitId: 1, pdu });
  const splitter = new MbapFrameSplitter();
  const adus = [...frame].flatMap((byte) => splitter.push(Uint8Array.of(byte)));
  assert.equal(adus.length, 1);
  return adus[0]!.pdu;
}

function runPduCase(c: PduCase): void {
  const pdu = c.pdu === undefined ? undefined : hexBytes(c.pdu);
  if (c.encodeRequest || c.encodeResponse) {
    const encode = c.encodeRequest ? () => encodeRequest(c.encodeRequest!) : () => encodeResponse(c.encodeResponse!);
    assertCodecError(encode, c.error!);
    return;
  }
  assert.ok(pdu, "a decoding case needs a pdu");
  if (c.error) {
    const decode = c.answers ? () => decodeResponse(pdu, c.answers!) : () => decodeRequest(pdu);
    assertCodecError(decode, c.error);
    return;
  }
  if (c.request) {
    assert.deepEqual(decodeRequest(pdu), c.request);
    assert.deepEqual(decodeRequest(throughTcp(pdu)), c.request);
    if (!c.decodeOnly) assert.equal(toHex(encodeRequest(c.request)), toHex(pdu));
    return;
  }
  assert.ok(c.answers && c.response, "a response case needs `answers` and `response`");
  assert.deepEqual(decodeResponse(pdu, c.answers), c.response);
  assert.deepEqual(decodeResponse(throughTcp(pdu), c.answers), c.response);
  if (!c.decodeOnly) assert.equal(toHex(encodeResponse(c.response)), toHex(pdu));
}

for (const { file, content } of files) {
  describe(`frames/${file}`, () => {
    for (const c of content.cases ?? []) test(c.name, () => runPduCase(c));

    for (const frame of content.frames ?? []) {
      test(frame.name, () => {
        const bytes = hexBytes(frame.adu);
        const adu = decodeAdu(bytes);
        assert.deepEqual(
          { transactionId: adu.transactionId, unitId: adu.unitId, pdu: toHex(adu.pdu) },
          { transactionId: frame.transactionId, unitId: frame.unitId, pdu: toHex(hexBytes(frame.pdu)) },
        );
        assert.equal(toHex(encodeAdu({ ...adu, pdu: hexBytes(frame.pdu) })), toHex(bytes));
        const split = new MbapFrameSplitter().push(bytes);
        assert.equal(split.length, 1);
        assert.equal(toHex(split[0]!.pdu), toHex(adu.pdu));
      });
    }

    for (const bad of content.badFrames ?? []) {
      test(bad.name, () => {
        const bytes = hexBytes(bad.adu);
        assertCodecError(() => decodeAdu(bytes), bad.error);
        const splitter = new MbapFrameSplitter();
        if (bad.splitter === "error") assertCodecError(() => splitter.push(bytes), bad.splitterError ?? bad.error);
        if (bad.splitter === "incomplete") {
          assert.deepEqual(splitter.push(bytes), []);
          assert.equal(splitter.bufferedBytes, bytes.length);
        }
      });
    }

    for (const bad of content.badAdus ?? []) {
      test(bad.name, () => assertCodecError(() => encodeAdu({ ...bad.adu, pdu: hexBytes(bad.adu.pdu) }), bad.error));
    }
  });
}

test("every function code has a vector file", () => {
  const names = files.map(({ file }) => file);
  for (const expected of [
    "read-coils.json",
    "read-discrete-inputs.json",
    "read-holding-registers.json",
    "read-input-registers.json",
    "write-single-coil.json",
    "write-single-register.json",
    "write-multiple-coils.json",
    "write-multiple-registers.json",
    "exception.json",
    "mbap.json",
  ]) {
    assert.ok(names.includes(expected), `missing frames/${expected}`);
  }
});
