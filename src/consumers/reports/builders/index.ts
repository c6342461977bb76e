import type { ReportType } from "../../../flows/reports/report";
import type { ReportBuilder } from "./builder";
import { productsReport } from "./products";
import { salesReport } from "./sales";
import { settlementsReport } from "./settlements";

export type { ReportBuilder, ReportQuery } from "./builder";

/** Every report type's builder; the type makes a missing one a compile error. A new type: one file, one line. */
export const REPORT_BUILDERS: { readonly [T in ReportType]: ReportBuilder } = {
  sales: salesReport,
  products: productsReport,
  settlements: settlementsReport,
};
