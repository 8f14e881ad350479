// "Did you mean": the known name closest to a misspelt one, so that a typo in a key reads as a typo.

/** The candidate nearest to `word` by edit distance (ignoring case), when it is near enough to be a likely typo. */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  // Short words are easily "one edit" from anything; allow more edits as the word grows.
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `unknown key 'intervall'; did you mean 'interval'?` or, with no near candidate, the list of known keys. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const close = closestName(key, known);
  if (close !== undefined) return `unknown key '${key}'; did you mean '${close}'?`;
  return `unknown key '${key}'; expected one of ${known.join(", ")}`;
}

/** Levenshtein distance where swapping two neighbouring letters counts as one edit (a common typo). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
