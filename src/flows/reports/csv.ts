/**
 * CSV as RFC 4180 has it: comma-separated, CRLF line ends, a field quoted when it holds a comma, a
 * quote, CR or LF, quotes doubled inside. A field starting with `=`, `+`, `-` or `@` is prefixed with
 * a quote mark so a spreadsheet does not run it as a formula (OWASP "CSV injection"); numbers are
 * written as numbers and never prefixed.
 */
export type CsvCell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export function csvField(cell: CsvCell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  const safe = FORMULA_START.test(cell) && !PLAIN_DECIMAL.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, with its CRLF. */
export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvField).join(",")}\r\n`;

const digitsCache = new Map<string, number>();

/** The currency's minor-unit digits (USD 2, JPY 0, BHD 3), as Intl knows them; 2 if it does not. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * Integer minor units as a plain decimal in major units, exact (no floating point): 2950 USD is
 * "29.50", -5 USD "-0.05", 1200 JPY "1200". No grouping, no symbol: spreadsheets read it as a number.
 */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = String(Math.abs(minor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, "0");
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** Epoch ms as an ISO 8601 UTC timestamp, or empty for null. */
export const isoOrEmpty = (ms: number | null): string => (ms === null ? "" : new Date(ms).toISOString());
