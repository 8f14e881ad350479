// Protocol names as people say them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { protocolName } from "../../../ui/src/components/protocol.ts";

test("URL schemes become the protocols' names; unknown ones stay as they are", () => {
  assert.equal(protocolName("modbus-tcp"), "Modbus TCP");
  assert.equal(protocolName("opcua"), "OPC UA");
  assert.equal(protocolName("S7"), "Siemens S7");
  assert.equal(protocolName("ads"), "Beckhoff ADS");
  assert.equal(protocolName("eip"), "EtherNet/IP");
  assert.equal(protocolName("profinet"), "profinet");
});
