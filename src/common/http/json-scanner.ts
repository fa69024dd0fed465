// A byte-level pre-scan of a JSON body, fed chunk by chunk as it arrives, that refuses what
// would make parsing or validation expensive before JSON.parse ever runs: nesting deeper than
// `maxDepth`, more than `maxItems` object members and array items, and \u escapes that leave a
// lone UTF-16 surrogate. It never recurses and does constant work per byte, so a 24 MB body
// nested four million levels deep is refused after its first few dozen bytes.
// Structural characters are ASCII and never occur inside a multi-byte UTF-8 sequence, so the
// scan works on raw bytes without decoding.

export interface JsonLimits {
  maxDepth: number;
  maxItems: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxItems: 50_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX = /^[0-9a-fA-F]{4}$/;

export class JsonScanner {
  private depth = 0;
  private items = 0;
  private inString = false;
  private escape = false;
  private hex: string | null = null; // the digits of a \u escape being read
  private pendingHigh = false; // a high surrogate escape waiting for its low half

  constructor(private readonly limits: JsonLimits = DEFAULT_JSON_LIMITS) {}

  // Null while the body is acceptable so far, else why it is not.
  feed(chunk: Uint8Array): string | null {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      const problem = this.inString ? this.stringByte(b) : this.structuralByte(b);
      if (problem) return problem;
    }
    return null;
  }

  private structuralByte(b: number): string | null {
    switch (b) {
      case QUOTE:
        this.inString = true;
        return null;
      case 0x7b: // {
      case 0x5b: // [
        if (++this.depth > this.limits.maxDepth) return `JSON nested deeper than ${this.limits.maxDepth} levels`;
        return null;
      case 0x7d: // }
      case 0x5d: // ]
        this.depth--;
        return null;
      case 0x3a: // :
      case 0x2c: // ,
        if (++this.items > this.limits.maxItems)
          return `JSON has more than ${this.limits.maxItems} keys and array items`;
        return null;
      default:
        return null;
    }
  }

  private stringByte(b: number): string | null {
    if (this.hex !== null) {
      this.hex += String.fromCharCode(b);
      return this.hex.length === 4 ? this.endUnicodeEscape() : null;
    }
    if (this.escape) {
      this.escape = false;
      if (b === 0x75) {
        this.hex = '';
        return null;
      }
      return this.pendingHigh ? LONE : null;
    }
    if (b === BACKSLASH) {
      this.escape = true;
      return null;
    }
    if (this.pendingHigh) return LONE;
    if (b === QUOTE) this.inString = false;
    return null;
  }

  private endUnicodeEscape(): string | null {
    const digits = this.hex as string;
    this.hex = null;
    if (!HEX.test(digits)) return null; // JSON.parse refuses it with its own error
    const unit = parseInt(digits, 16);
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    if (low && !this.pendingHigh) return LONE;
    if (this.pendingHigh && !low) return LONE;
    this.pendingHigh = high;
    return null;
  }
}

const LONE = 'JSON string holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)';
