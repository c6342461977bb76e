import type { CsvCell } from "../../../flows/reports/csv";
import type { Db } from "../../../platform/db/client";

/** Whose report, over which half-open interval of epoch ms (the requested UTC days). */
export interface ReportQuery {
  ownerId: string;
  fromMs: number;
  toMs: number;
}

/**
 * One report type: its CSV header, how many data rows it will have (the job's total), and its rows in
 * pages read with keyset pagination, so a build never holds more than one page of rows in memory and
 * never pays OFFSET's rescans.
 *
 * @example
 * for await (const page of builder.pages(db, query, 2000)) upload.write(page.map(csvLine).join(""));
 */
export interface ReportBuilder {
  header: readonly string[];
  count(db: Db, q: ReportQuery): Promise<number>;
  pages(db: Db, q: ReportQuery, pageSize: number): AsyncIterable<CsvCell[][]>;
}
