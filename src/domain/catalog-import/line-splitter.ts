/** One physical line of a text file, numbered from 1, without its line break. */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * Splits streamed text into numbered lines (LF or CRLF), holding only the unfinished last line between
 * pieces, so a file of any size is read in constant memory.
 *
 * @example
 * const lines = new LineSplitter();
 * for await (const piece of textStream) for (const l of lines.push(piece)) handle(l);
 * for (const l of lines.end()) handle(l);
 */
export class LineSplitter {
  private rest = "";
  private next = 1;

  push(text: string): NumberedLine[] {
    const parts = (this.rest + text).split("\n");
    this.rest = parts.pop() ?? "";
    return parts.map((p) => this.numbered(p));
  }

  /** The last line, when the file does not end with a line break. */
  end(): NumberedLine[] {
    if (this.rest === "") return [];
    const last = this.numbered(this.rest);
    this.rest = "";
    return [last];
  }

  private numbered(raw: string): NumberedLine {
    return { line: this.next++, text: raw.endsWith("\r") ? raw.slice(0, -1) : raw };
  }
}
