import type { EventData } from "../../../platform/events/registry";
import { escapeHtml, layout, type RenderedEmail } from "./html";

type Generated = EventData<"report.generated">;

const TITLES: { readonly [T in Generated["type"]]: string } = {
  sales: "sales",
  products: "products",
  settlements: "settlements",
};

/**
 * "Your report is ready", with where to download it. The link is the API path, not a browser link:
 * the download needs the owner's token or a `reports:read` key, like every other call.
 *
 * @example
 * renderReportReady(data).subject; // "Your report is ready"
 */
export function renderReportReady(report: Generated): RenderedEmail {
  const subject = "Your report is ready";
  const lines = [
    `Your ${TITLES[report.type]} report for ${report.from} to ${report.to} is ready: ${report.rows} rows (${report.bytes} bytes of CSV).`,
    `Download it with your API token or a reports:read key: GET ${report.downloadUrl}`,
    "The Crossdock team",
  ];
  return {
    subject,
    text: `${lines.join("\n\n")}\n`,
    html: layout(subject, lines.map(escapeHtml)),
  };
}
