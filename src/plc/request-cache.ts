// What a connection prepared for each request object it was asked (parsed addresses, a read plan), kept per object.

/** How a RequestCache tells whether a kept value still serves a request, and makes a new one. */
export interface RequestCacheRules<R extends object, V> {
  /** Whether `value`, made for an earlier request, serves `request` too: same contents, nothing it depends on changed. */
  readonly fits: (value: V, request: R) => boolean;
  readonly make: (request: R) => V;
  /**
   * True for a request that cannot have changed since it was seen (a frozen object): its own value is then reused
   * without `fits`. Only for values that depend on nothing but the request.
   */
  readonly unchangeable?: (request: R) => boolean;
}

/**
 * Pollers ask for the same tags every cycle, several of them on one shared connection, each with its own request
 * object. A value is found by that object first, then by trying the last one made (a caller that builds an equal
 * request each time), and reused only while `fits` says so. Entries live as long as their request object does, so the
 * cache holds no more than the requests its callers still hold, plus the last value.
 */
export class RequestCache<R extends object, V> {
  readonly #rules: RequestCacheRules<R, V>;
  #byRequest = new WeakMap<R, V>();
  #last: V | undefined;

  constructor(rules: RequestCacheRules<R, V>) {
    this.#rules = rules;
  }

  /** The value for `request`: kept while it still fits, else made anew. */
  get(request: R): V {
    const { fits, make, unchangeable } = this.#rules;
    const known = this.#byRequest.get(request);
    if (known !== undefined && unchangeable?.(request) === true) return known;
    const last = this.#last;
    let value: V;
    if (known !== undefined && fits(known, request)) value = known;
    else if (last !== undefined && last !== known && fits(last, request)) value = last;
    else value = make(request);
    if (value !== known) this.#byRequest.set(request, value);
    this.#last = value;
    return value;
  }

  /** Forgets every value (the connection closed). */
  clear(): void {
    this.#byRequest = new WeakMap();
    this.#last = undefined;
  }
}
