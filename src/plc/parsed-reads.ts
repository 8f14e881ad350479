// The read requests a connection has parsed, kept per request object so that every poller sharing it reuses its own.
import type { TagFailure, TagRequest } from "./driver.ts";
import { RequestCache } from "./request-cache.ts";

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
 * The parses of read requests, each reused while every alias and address is unchanged; a frozen request (JobSampler
 * freezes its own) cannot have changed, so its own parse is reused without comparing. Handing the driver the same
 * parsed Map each time lets it reuse its read plan the same way.
 */
export function parsedReads<A>(parse: ParseRequest<A>): RequestCache<TagRequest, ParsedRead<A>> {
  return new RequestCache<TagRequest, ParsedRead<A>>({
    // Keys and values in two passes cost far less than looking up every alias one by one in the request.
    fits: (parsed, tags) =>
      sameItems(parsed.aliases, Object.keys(tags)) && sameItems(parsed.addresses, Object.values(tags)),
    make: (tags) => parse(Object.keys(tags), Object.values(tags)),
    unchangeable: Object.isFrozen,
  });
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
