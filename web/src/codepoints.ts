// Offsets in a text, between the browser's and the API's. JavaScript strings count UTF-16 code
// units; the coding API counts Unicode code points (a character outside the Basic Multilingual
// Plane, such as an emoji, is two units here and one point there). Both directions are exact;
// a unit offset inside a surrogate pair is moved to the start of its character.

/** Converts offsets of one text between UTF-16 code units and Unicode code points. */
export class OffsetMap {
  /** The unit offsets at which a surrogate pair starts, ascending (empty for most texts). */
  private readonly pairs: number[];
  /** The text's length in code units and in code points. */
  readonly units: number;
  readonly points: number;

  constructor(text: string) {
    const pairs: number[] = [];
    for (let i = 0; i < text.length - 1; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          pairs.push(i);
          i++;
        }
      }
    }
    this.pairs = pairs;
    this.units = text.length;
    this.points = text.length - pairs.length;
  }

  /** How many pairs start before unit offset `u` (binary search). */
  private pairsBefore(u: number): number {
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The code point offset of UTF-16 offset `u` (clamped to the text). */
  toPoints(u: number): number {
    const at = Math.max(0, Math.min(this.units, Math.floor(u)));
    const before = this.pairsBefore(at);
    // Between the two halves of a pair: the start of that character.
    if (before > 0 && this.pairs[before - 1] === at - 1) return at - 1 - (before - 1);
    return at - before;
  }

  /** The UTF-16 offset of code point offset `p` (clamped to the text). */
  toUnits(p: number): number {
    const at = Math.max(0, Math.min(this.points, Math.floor(p)));
    // The k-th pair starts at code point pairs[k] - k; those starting before `at` add a unit each.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid] - mid < at) lo = mid + 1;
      else hi = mid;
    }
    return at + lo;
  }
}

/** The code points [begin, end) of `text`, as a string (for a unit of agreement, a passage). */
export function slicePoints(text: string, begin: number, end: number): string {
  const map = new OffsetMap(text);
  return text.slice(map.toUnits(begin), map.toUnits(end));
}
