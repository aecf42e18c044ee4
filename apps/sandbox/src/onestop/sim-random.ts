/** cyrb53-style string hash: a 32-bit seed from any seed value. */
function hashSeed(seed: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < seed.length; i++) {
    const ch = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  return h1 >>> 0;
}

/** A small deterministic generator (mulberry32): the same seed gives the same day, on any machine. */
export class SimRandom {
  private state: number;

  constructor(seed: number | string) {
    this.state = hashSeed(String(seed));
  }

  /** An independent stream, so one dossier's draws do not shift another's. */
  fork(label: string | number): SimRandom {
    return new SimRandom(`${this.state}:${label}`);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) {
      throw new Error('pick from an empty list');
    }
    return item;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) {
      out += String(this.int(0, 9));
    }
    return out;
  }

  hex(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) {
      out += this.int(0, 15).toString(16);
    }
    return out;
  }

  /** `count` distinct integers in [min, max], ascending. */
  distinctSorted(count: number, min: number, max: number): number[] {
    if (max - min + 1 < count) {
      throw new Error(`cannot draw ${count} distinct values from [${min}, ${max}]`);
    }
    const chosen = new Set<number>();
    while (chosen.size < count) {
      chosen.add(this.int(min, max));
    }
    return [...chosen].sort((a, b) => a - b);
  }
}
