import { isBlankLine } from "./staged-row";

/** A chunk of an NDJSON file as a byte range of it: its rows are the non-blank lines in the range. */
export interface LineRange {
  /** Byte offset of the chunk's first row's line in the file. */
  offset: number;
  /** Bytes, through the last row's line break (or the end of the file). */
  length: number;
  /** The line number of the range's first line (the file's lines are numbered from 1). */
  firstLine: number;
  rows: number;
}

const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf] as const;
/** Bytes String.prototype.trim removes that are ASCII: TAB, LF, VT, FF, CR, space. */
const isAsciiSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/**
 * Splits a streamed NDJSON file into chunks of `rowsPerChunk` rows without decoding it: it looks for
 * line breaks in the raw bytes, so the ranges are BYTE offsets (a multi-byte character is never cut:
 * 0x0A is never part of one). Rows and line numbers are counted exactly as when the file is decoded and
 * split into lines (LF or CRLF): a leading BOM is skipped (TextDecoder drops it), and a line is blank
 * (not a row, but numbered) when `isBlankLine` says so. A line holding an ASCII character other than a
 * space is a row at once; only a line of spaces and non-ASCII bytes (rare: U+00A0, U+3000, …) is held
 * and decoded to decide. A range runs from its first row's line to its last row's line break: blank
 * lines between chunks are in no range (the next range's `firstLine` counts them).
 *
 * @example
 * const ranges = new LineRangeScanner(1_000);
 * for await (const bytes of body) for (const r of ranges.push(bytes)) stage(r);
 * for (const r of ranges.end()) stage(r);
 */
export class LineRangeScanner {
  /** The first bytes, until there are enough to tell whether the file starts with a BOM. */
  private head: Uint8Array | null = new Uint8Array(0);
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  /** The current line so far: blank (ASCII spaces only), a row, or unsure (spaces and non-ASCII bytes). */
  private state: "blank" | "row" | "unsure" = "blank";
  private held: Uint8Array[] = [];
  private chunk = { offset: 0, end: 0, firstLine: 1, rows: 0 };

  constructor(private readonly rowsPerChunk: number) {}

  push(bytes: Uint8Array): LineRange[] {
    if (this.head === null) return this.scan(bytes);
    const joined = concat([this.head, bytes]);
    if (joined.length < BOM.length) {
      this.head = joined;
      return [];
    }
    this.head = null;
    const skip = BOM.every((b, i) => joined[i] === b) ? BOM.length : 0;
    this.offset = skip;
    this.lineStart = skip;
    return this.scan(joined.subarray(skip));
  }

  /** The last chunk: the rows since the last full one, the last line included if it has no line break. */
  end(): LineRange[] {
    const out: LineRange[] = [];
    if (this.head !== null) {
      // Fewer bytes than a BOM: the whole file, and not a BOM.
      const head = this.head;
      this.head = null;
      out.push(...this.scan(head));
    }
    if (this.offset > this.lineStart) this.endLine(this.offset, out);
    if (this.chunk.rows > 0) out.push(this.closeChunk());
    return out;
  }

  private scan(bytes: Uint8Array): LineRange[] {
    const out: LineRange[] = [];
    const base = this.offset;
    let pos = 0;
    while (pos < bytes.length) {
      const lf = bytes.indexOf(LF, pos);
      const end = lf === -1 ? bytes.length : lf;
      this.classify(bytes, pos, end);
      if (lf === -1) break;
      this.endLine(base + lf + 1, out);
      pos = lf + 1;
    }
    this.offset = base + bytes.length;
    return out;
  }

  private classify(bytes: Uint8Array, from: number, to: number) {
    if (this.state === "row") return;
    for (let i = from; i < to; i++) {
      const b = bytes[i]!;
      if (isAsciiSpace(b)) continue;
      if (b < 0x80) {
        this.state = "row";
        this.held = [];
        return;
      }
      this.state = "unsure";
    }
    if (this.state === "unsure") this.held.push(bytes.slice(from, to));
  }

  /** The current line ends just before `end` (past its line break, if it has one). */
  private endLine(end: number, out: LineRange[]) {
    const isRow =
      this.state === "row" ||
      (this.state === "unsure" &&
        !isBlankLine(new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(concat(this.held))));
    if (isRow) {
      if (this.chunk.rows === 0) this.chunk = { offset: this.lineStart, end, firstLine: this.line, rows: 0 };
      this.chunk.rows += 1;
      this.chunk.end = end;
      if (this.chunk.rows === this.rowsPerChunk) out.push(this.closeChunk());
    }
    this.line += 1;
    this.lineStart = end;
    this.state = "blank";
    this.held = [];
  }

  private closeChunk(): LineRange {
    const { offset, end, firstLine, rows } = this.chunk;
    this.chunk = { offset: 0, end: 0, firstLine: 1, rows: 0 };
    return { offset, length: end - offset, firstLine, rows };
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
