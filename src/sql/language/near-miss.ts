// "Did you mean": the name nearest to a misspelt word, so that `SELCT` reads as a typo of SELECT. One rule for every
// name the SQL front end suggests: keywords, columns, struct fields and functions.

/** The candidate nearest to `word` by edit distance, when it is near enough to be a likely typo. */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  const upper = word.toUpperCase();
  // Short words are one edit from almost anything; allow more edits as the word grows.
  const limit = Math.max(1, Math.min(3, Math.floor(upper.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - upper.length) > limit) continue;
    const distance = editDistance(upper, candidate);
    if (distance < bestDistance && distance > 0) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The "; did you mean X?" that ends a message about the unknown `word`, or "" when no candidate is near enough. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const suggestion = nearestName(word, candidates);
  return suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
}

/** Levenshtein distance where swapping two neighbouring letters counts as one edit (the commonest typo). */
function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d = new Array<number>((a.length + 1) * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
