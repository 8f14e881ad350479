// Packs byte ranges into as few S7 PDUs as their size limits allow, cutting a range across PDUs only where no value tears.

/** A byte range of one block (an area or DB run) to carry in some PDU. */
export interface Piece {
  readonly block: number;
  readonly start: number;
  readonly end: number;
}

export interface PackRules {
  /** Whether items of these data lengths fit one PDU, both ways (request and response). */
  readonly fits: (lengths: readonly number[]) => boolean;
  /** The most items one PDU may carry. */
  readonly maxItems: number;
  /**
   * The largest offset in (start, limit] of `block` where a cut splits no value, or undefined: cutting a REAL across two
   * PDUs would let its halves come from two different PLC cycles.
   */
  readonly safeCut: (block: number, start: number, limit: number) => number | undefined;
}

/** Cutting a range costs one more item (12 bytes out, 4 back): not worth it for a few bytes of leftover room. */
export const MIN_CUT_BYTES = 16;

/** Data bytes of items on the wire when the PDU's one odd-length item (if any) goes last: the others are padded. */
export function paddedLength(lengths: readonly number[]): number {
  let total = 0;
  let odd = 0;
  for (const length of lengths) {
    total += 4 + length;
    odd += length % 2;
  }
  return total + Math.max(0, odd - 1);
}

/**
 * First-fit decreasing with cutting: each PDU takes the largest pieces that fit whole; when none does and room is left,
 * the largest piece is cut at its last safe offset within that room and the rest waits for the next PDU. A piece larger
 * than an empty PDU is cut wherever it must. Each PDU lists its pieces with an odd-length one last, as `fits` assumes.
 */
export function packPieces(pieces: readonly Piece[], rules: PackRules): Piece[][] {
  const pending = [...pieces].sort(bySizeDescending);
  const pdus: Piece[][] = [];
  while (pending.length > 0) {
    const pdu: Piece[] = [];
    const lengths: number[] = [];
    for (let index = 0; index < pending.length && pdu.length < rules.maxItems; ) {
      const piece = pending[index]!;
      const length = piece.end - piece.start;
      if (rules.fits([...lengths, length])) {
        pdu.push(piece);
        lengths.push(length);
        pending.splice(index, 1);
      } else {
        index++;
      }
    }
    const largest = pending[0];
    if (largest !== undefined && pdu.length < rules.maxItems) {
      const room = roomFor(lengths, largest.end - largest.start - 1, rules);
      if (room >= MIN_CUT_BYTES || (pdu.length === 0 && room > 0)) {
        const limit = largest.start + room;
        const cut = rules.safeCut(largest.block, largest.start, limit) ?? (pdu.length === 0 ? limit : undefined);
        if (cut !== undefined && (cut - largest.start >= MIN_CUT_BYTES || pdu.length === 0)) {
          pdu.push({ block: largest.block, start: largest.start, end: cut });
          pending[0] = { block: largest.block, start: cut, end: largest.end };
          pending.sort(bySizeDescending);
        }
      }
    }
    if (pdu.length === 0) throw new Error("a PDU too small for one item of one byte");
    pdus.push(oddLast(pdu));
  }
  return pdus;
}

/** The most data bytes one more item may carry (at most `cap`), 0 when not even one byte fits. */
function roomFor(lengths: readonly number[], cap: number, rules: PackRules): number {
  let low = 0;
  let high = cap;
  // Binary search: fits() is monotone in the new item's length, give or take the padding byte.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (rules.fits([...lengths, middle])) low = middle;
    else high = middle - 1;
  }
  if (low > 0 && !rules.fits([...lengths, low])) low--;
  return low;
}

function oddLast(pdu: Piece[]): Piece[] {
  const odd = pdu.findLastIndex((piece) => (piece.end - piece.start) % 2 === 1);
  if (odd < 0 || odd === pdu.length - 1) return pdu;
  return [...pdu.slice(0, odd), ...pdu.slice(odd + 1), pdu[odd]!];
}

function bySizeDescending(a: Piece, b: Piece): number {
  return b.end - b.start - (a.end - a.start) || a.block - b.block || a.start - b.start;
}
