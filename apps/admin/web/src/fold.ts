/** Vietnamese accent folding, as the API does it: NFD, marks dropped, đ → d, lower case. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/**
 * Ranges [start, end) of `text` (original characters) where a word of `query` occurs, compared
 * folded: "dang ky" marks "Đăng ký". Overlapping ranges are merged.
 */
export function matchRanges(text: string, query: string): [number, number][] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return [];
  }
  // Fold character by character, remembering which original character each folded one came from.
  const chars = Array.from(text.normalize('NFC'));
  let folded = '';
  const origin: number[] = [];
  let offset = 0;
  for (const ch of chars) {
    const f = fold(ch);
    for (let i = 0; i < f.length; i++) {
      origin.push(offset);
    }
    folded += f;
    offset += ch.length;
  }
  origin.push(offset);
  const ranges: [number, number][] = [];
  for (const word of words) {
    let at = folded.indexOf(word);
    while (at >= 0) {
      // Mark whole-word starts only ("ky" marks "ký", not the end of "kỳ" inside another word).
      if (at > 0 && /[\p{L}\p{N}]/u.test(folded[at - 1] ?? '')) {
        at = folded.indexOf(word, at + 1);
        continue;
      }
      const start = origin[at] ?? 0;
      const endOrigin = origin[at + word.length - 1] ?? offset;
      const last = chars.join('').slice(endOrigin);
      const endLen = Array.from(last)[0]?.length ?? 0;
      ranges.push([start, endOrigin + endLen]);
      at = folded.indexOf(word, at + word.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] <= prev[1]) {
      prev[1] = Math.max(prev[1], r[1]);
    } else {
      merged.push([r[0], r[1]]);
    }
  }
  return merged;
}
