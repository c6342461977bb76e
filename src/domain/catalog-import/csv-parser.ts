/** One CSV record and the physical line it starts on (a quoted field may span several lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * An incremental RFC 4180 parser: comma-separated, fields optionally in double quotes, `""` for a
 * quote inside quotes, line breaks (LF or CRLF) inside quotes kept as data. Text is pushed in pieces of
 * any size and complete records come out, so a large file is parsed in constant memory.
 *
 * Written here rather than taken from a package: none of the streaming CSV parsers is installed, and
 * the project needs exactly this grammar plus each record's first line number (for the error report).
 * Lenient where RFC 4180 is silent: a quote inside an unquoted field is data, and characters after a
 * closing quote are appended to the field.
 */
export class CsvParser {
  private fields: string[] = [];
  private field = "";
  private inQuotes = false;
  /** A quote seen inside quotes: either the closing quote or the first of a `""` pair. */
  private quotePending = false;
  private fieldStarted = false;
  private physicalLine = 1;
  private recordLine = 1;
  private pendingCr = false;

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === "\n") continue; // CRLF: the CR already ended the record
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (ch === '"') this.quotePending = true;
        else {
          if (ch === "\n") this.physicalLine++;
          this.field += ch;
        }
        continue;
      }
      if (ch === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
      } else if (ch === ",") {
        this.endField();
      } else if (ch === "\n" || ch === "\r") {
        this.pendingCr = ch === "\r";
        const record = this.endRecord();
        if (record) out.push(record);
        this.physicalLine++;
        this.recordLine = this.physicalLine;
      } else {
        this.field += ch;
        this.fieldStarted = true;
      }
    }
    return out;
  }

  /** The last record, when the file does not end with a line break. */
  end(): CsvRecord[] {
    this.quotePending = false;
    this.inQuotes = false;
    const record = this.endRecord();
    return record ? [record] : [];
  }

  private endField() {
    this.fields.push(this.field);
    this.field = "";
    this.fieldStarted = false;
  }

  /** Null for a blank line: it holds no record. */
  private endRecord(): CsvRecord | null {
    const blank = this.fields.length === 0 && !this.fieldStarted && this.field === "";
    this.endField();
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    return blank ? null : record;
  }
}
