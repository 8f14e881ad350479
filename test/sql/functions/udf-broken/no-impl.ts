// A deliberately broken user function module (no impl), to test the loader's error.

export default {
  name: "broken",
  kind: "scalar",
  description: "missing impl",
  signatures: [{ params: ["DOUBLE"], returns: "DOUBLE" }],
};
