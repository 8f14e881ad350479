// The read requests a connection has parsed, kept per request object so that every poller sharing it reuses its own.
import type { TagFailure, TagRequest } from "./driver.ts";

/** A read request split into the tags the driver gets (addresses parsed) and the ones refused per tag. */
export interface ParsedRead<A> {
  readonly valid: ReadonlyMap<string, A>;
  readonly failures: ReadonlyMap<string, TagFailure>;
  /** The aliases of `valid`, in order: checking the driver's answer against an array beats walking the Map. */
  readonly validAliases: readonly string[];
  /** The request's aliases and address values, in its order: what a later request must match to reuse this parse. */
  readonly aliases: readonly string[];
  readonly addresses: readonly unknown[];
}

/** Parses a request given as its aliases and address values, in order (the connection's address grammar). */
export type ParseRequest<A> = (aliases: readonly string[], addresses: readonly unknown[]) => ParsedRead<A>;

/**
 * Pollers ask for the same tags every cycle, several of them on one shared connection, each with its own request
 * object. A parse is found by that object first, then by comparing with the last request (a caller that builds an equal
 * request each time), and reused only while every alias and address is unchanged. Handing the driver the same parsed
 * Map each time lets it reuse its read plan the same way. Entries live as long as their request object does.
 */
export class ParsedReads<A> {
  readonly #parse: ParseRequest<A>;
  #byRequest = new WeakMap<TagRequest, ParsedRead<A>>();
  #last: ParsedRead<A> | undefined;

  constructor(parse: ParseRequest<A>) {
    this.#parse = parse;
  }

  /** The parse of `tags`, reused while it is still the same request. */
  get(tags: TagRequest): ParsedRead<A> {
    const known = this.#byRequest.get(tags);
    // A frozen request cannot have changed since it was parsed (JobSampler freezes its own): no comparison needed.
    if (known !== undefined && Object.isFrozen(tags)) return known;
    // Keys and values in two passes cost far less than looking up every alias one by one in the request.
    const aliases = Object.keys(tags);
    const addresses: readonly unknown[] = Object.values(tags);
    let parsed: ParsedRead<A>;
    if (known !== undefined && sameRequest(known, aliases, addresses)) parsed = known;
    else if (this.#last !== undefined && sameRequest(this.#last, aliases, addresses)) parsed = this.#last;
    else parsed = this.#parse(aliases, addresses);
    this.#byRequest.set(tags, parsed);
    this.#last = parsed;
    return parsed;
  }

  /** Forgets every parse (the connection closed). */
  clear(): void {
    this.#byRequest = new WeakMap();
    this.#last = undefined;
  }
}

function sameRequest<A>(parsed: ParsedRead<A>, aliases: readonly string[], addresses: readonly unknown[]): boolean {
  return sameItems(parsed.aliases, aliases) && sameItems(parsed.addresses, addresses);
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
