// Runs every hand-checked S7 frame in frames/*.json through the codecs both ways, and full frames through every layer.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type CotpTpdu, decodeCotp } from "../../../src/plc/s7/messages/cotp.ts";
import { encodeCotpConnection } from "../../../src/plc/s7/messages/cotp-connect.ts";
import { encodeCotpData } from "../../../src/plc/s7/messages/cotp-data.ts";
import { encodeCotpDisconnect } from "../../../src/plc/s7/messages/cotp-disconnect.ts";
import { encodeCotpTpduError } from "../../../src/plc/s7/messages/cotp-error.ts";
import { encodeReadVarRequest, encodeReadVarResponse } from "../../../src/plc/s7/messages/read-var.ts";
import { encodeRefusal } from "../../../src/plc/s7/messages/refusal.ts";
import { decodeS7Pdu, encodeS7Pdu, type S7Pdu } from "../../../src/plc/s7/messages/s7-header.ts";
import {
  decodeS7Request,
  decodeS7Response,
  type S7Request,
  type S7Response,
} from "../../../src/plc/s7/messages/s7-pdu.ts";
import {
  encodeSetupCommunicationRequest,
  encodeSetupCommunicationResponse,
} from "../../../src/plc/s7/messages/setup-communication.ts";
import { decodeTpkt, encodeTpkt, TpktFrameSplitter } from "../../../src/plc/s7/messages/tpkt.ts";
import { encodeWriteVarRequest, encodeWriteVarResponse } from "../../../src/plc/s7/messages/write-var.ts";
import {
  assertCodecError,
  type ExpectedError,
  hexBytes,
  hydrate,
  loadVectorFiles,
  normalize,
  toHex,
} from "./vectors.ts";

type Side = "request" | "response";

interface Case {
  readonly name: string;
  readonly hex: string;
  readonly side?: Side;
  /** The whole ISO-on-TCP frame (TPKT, COTP DT, S7 PDU) that carries `hex`. */
  readonly frame?: string;
  readonly value?: unknown;
  readonly decodeOnly?: boolean;
  readonly error?: ExpectedError;
}

interface VectorFile {
  readonly codec?: "tpkt" | "cotp" | "s7-header";
  readonly codecs?: readonly ("s7-request" | "s7-response")[];
  readonly cases: readonly Case[];
  readonly streams?: readonly { name: string; chunks: string[]; tpdus: string[][] }[];
  readonly badStreams?: readonly { name: string; chunks: string[]; maxFrameLength?: number; error: ExpectedError }[];
}

interface Codec {
  decode(bytes: Uint8Array): unknown;
  encode(value: unknown): Uint8Array;
}

const CODECS: Readonly<Record<string, Codec>> = {
  tpkt: {
    decode: (bytes) => ({ tpdu: decodeTpkt(bytes) }),
    encode: (value) => encodeTpkt(hydrate<{ tpdu: Uint8Array }>(value).tpdu),
  },
  cotp: {
    decode: decodeCotp,
    encode: (value) => {
      const tpdu = hydrate<CotpTpdu>(value);
      switch (tpdu.kind) {
        case "CR":
        case "CC":
          return encodeCotpConnection(tpdu);
        case "DT":
          return encodeCotpData(tpdu);
        case "DR":
          return encodeCotpDisconnect(tpdu);
        case "ER":
          return encodeCotpTpduError(tpdu);
      }
    },
  },
  "s7-header": {
    decode: decodeS7Pdu,
    encode: (value) => {
      const pdu = hydrate<S7Pdu>(value);
      return encodeS7Pdu(pdu.header, pdu.parameter, pdu.data);
    },
  },
  "s7-request": {
    decode: decodeS7Request,
    encode: (value) => {
      const request = hydrate<S7Request>(value);
      switch (request.kind) {
        case "setup":
          return encodeSetupCommunicationRequest(request);
        case "read":
          return encodeReadVarRequest(request);
        case "write":
          return encodeWriteVarRequest(request);
      }
    },
  },
  "s7-response": {
    decode: decodeS7Response,
    encode: (value) => {
      const response = hydrate<S7Response>(value);
      switch (response.kind) {
        case "setup":
          return encodeSetupCommunicationResponse(response);
        case "read":
          return encodeReadVarResponse(response);
        case "write":
          return encodeWriteVarResponse(response);
        case "refused":
          return encodeRefusal(response);
      }
    },
  },
};

function codecOf(file: VectorFile, c: Case): Codec {
  const name = file.codec ?? (c.side === "request" ? "s7-request" : "s7-response");
  assert.ok(file.codec !== undefined || file.codecs?.includes(name as "s7-request"), `${c.name}: codec ${name}`);
  return CODECS[name]!;
}

/** Takes a whole frame apart layer by layer, as the transport does: TPKT, then a COTP DT, then its payload. */
function unwrapFrame(frame: Uint8Array): Uint8Array {
  const tpdu = decodeCotp(decodeTpkt(frame));
  assert.equal(tpdu.kind, "DT");
  assert.ok(tpdu.kind === "DT" && tpdu.eot, "a whole PDU in one DT");
  return tpdu.payload;
}

function runCase(file: VectorFile, c: Case): void {
  const codec = codecOf(file, c);
  const bytes = hexBytes(c.hex);
  if (c.error) {
    assertCodecError(() => codec.decode(bytes), c.error);
    return;
  }
  assert.deepEqual(normalize(codec.decode(bytes)), c.value);
  if (!c.decodeOnly) assert.equal(toHex(codec.encode(c.value)), toHex(bytes));
  if (c.frame !== undefined) {
    const frame = hexBytes(c.frame);
    assert.equal(toHex(unwrapFrame(frame)), toHex(bytes), "the frame carries the PDU");
    assert.equal(toHex(encodeTpkt(encodeCotpData({ eot: true, tpduNumber: 0, payload: bytes }))), toHex(frame));
  }
}

const files = loadVectorFiles<VectorFile>("frames");

for (const { file, content } of files) {
  describe(`frames/${file}`, () => {
    for (const c of content.cases) test(c.name, () => runCase(content, c));

    for (const stream of content.streams ?? []) {
      test(stream.name, () => {
        const splitter = new TpktFrameSplitter();
        const got = stream.chunks.map((chunk) => splitter.push(hexBytes(chunk)).map(toHex));
        assert.deepEqual(got, stream.tpdus);
        assert.equal(splitter.bufferedBytes, 0);
      });
    }

    for (const bad of content.badStreams ?? []) {
      test(bad.name, () => {
        const splitter = new TpktFrameSplitter(bad.maxFrameLength);
        assertCodecError(() => {
          for (const chunk of bad.chunks) splitter.push(hexBytes(chunk));
        }, bad.error);
        // Once the stream has lost its boundaries, nothing more is taken from it.
        assertCodecError(() => splitter.push(hexBytes("0300000702F080")), bad.error);
      });
    }
  });
}

test("every message has a vector file", () => {
  const names = files.map(({ file }) => file);
  for (const expected of [
    "tpkt.json",
    "cotp.json",
    "s7-header.json",
    "setup-communication.json",
    "read-var.json",
    "write-var.json",
    "refusal.json",
  ]) {
    assert.ok(names.includes(expected), `missing frames/${expected}`);
  }
});
