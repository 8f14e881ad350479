// Tests the per-request cache both connections use: a value per request object, checked by the owner's rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RequestCache } from "../../src/plc/request-cache.ts";

interface Request {
  readonly tag: string;
}

interface Made {
  readonly tag: string;
  readonly version: number;
}

/** A cache whose values depend on the request's tag and on an outside version, as a read plan on learned holes. */
function versioned(unchangeable?: (request: Request) => boolean) {
  const state = { version: 0, made: 0, checked: 0 };
  const cache = new RequestCache<Request, Made>({
    fits: (value, request) => {
      state.checked++;
      return value.tag === request.tag && value.version === state.version;
    },
    make: (request) => {
      state.made++;
      return { tag: request.tag, version: state.version };
    },
    ...(unchangeable === undefined ? {} : { unchangeable }),
  });
  return { cache, state };
}

describe("RequestCache", () => {
  it("keeps a value per request object, so requests taking turns each reuse their own", () => {
    const { cache, state } = versioned();
    const first = { tag: "a" };
    const second = { tag: "b" };
    const one = cache.get(first);
    const two = cache.get(second);
    for (let turn = 0; turn < 3; turn++) {
      assert.equal(cache.get(first), one);
      assert.equal(cache.get(second), two);
    }
    assert.equal(state.made, 2);
  });

  it("makes each request's value again once what it depends on changed, then keeps the new one", () => {
    const { cache, state } = versioned();
    const first = { tag: "a" };
    const second = { tag: "b" };
    const one = cache.get(first);
    cache.get(second);
    state.version++;
    const again = cache.get(first);
    assert.notEqual(again, one);
    assert.deepEqual(again, { tag: "a", version: 1 });
    assert.deepEqual(cache.get(second), { tag: "b", version: 1 });
    assert.equal(cache.get(first), again);
    assert.equal(state.made, 4);
  });

  it("hands a new request object the last value when it fits, and remembers it for that object", () => {
    const { cache, state } = versioned();
    const one = cache.get({ tag: "a" });
    const equal = { tag: "a" };
    assert.equal(cache.get(equal), one);
    assert.notEqual(cache.get({ tag: "b" }), one);
    assert.equal(cache.get(equal), one, "found by its own object, not as the last value");
    assert.equal(state.made, 2);
  });

  it("reuses an unchangeable request's own value without asking whether it fits", () => {
    const { cache, state } = versioned(Object.isFrozen);
    const frozen = Object.freeze({ tag: "a" });
    const one = cache.get(frozen);
    const checked = state.checked;
    assert.equal(cache.get(frozen), one);
    assert.equal(state.checked, checked);
    const open = { tag: "b" };
    cache.get(open);
    cache.get(open);
    assert.ok(state.checked > checked, "a request that may have changed is checked");
  });

  it("starts afresh after clear()", () => {
    const { cache, state } = versioned();
    const request = { tag: "a" };
    const before = cache.get(request);
    cache.clear();
    assert.notEqual(cache.get(request), before);
    assert.equal(state.made, 2);
  });
});
