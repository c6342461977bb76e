import { env } from "cloudflare:workers";
import type { JobRow } from "../../src/platform/jobs/schema";
import { eventually } from "./events";
import { call } from "./http";
import { jobRow } from "./jobs";

/** A valid import row; `over` replaces or adds fields. */
export function importRow(sku: string, over: Record<string, unknown> = {}) {
  return {
    sku,
    title: `Product ${sku}`,
    description: `The description of ${sku}`,
    category: "lighting",
    price: "19.99",
    stock: 5,
    ...over,
  };
}

export const ndjson = (rows: readonly unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

/** POSTs a file to /v1/catalog/imports as a client would (a string body carries its Content-Length). */
export const upload = (
  body: BodyInit,
  auth: { authorization: string },
  contentType = "application/x-ndjson",
) => call("/v1/catalog/imports", { method: "POST", headers: { ...auth, "content-type": contentType }, body });

/** Waits until the job has ended (the real queue consumer runs the import) and returns its row. */
export const finishedJob = (id: string, timeout = 20_000) =>
  eventually<JobRow>(async () => {
    const row = await jobRow(id);
    return row && (row.status === "succeeded" || row.status === "failed") ? row : null;
  }, timeout);

/** The outbox rows of one type about one import. */
export async function outboxRowsFor(type: string, importId: string) {
  const { results } = await env.DB.prepare("SELECT id, envelope FROM outbox WHERE type = ? AND subject = ?")
    .bind(type, importId)
    .all<{ id: string; envelope: string }>();
  return results;
}

/** Parses the error report CSV's simple rows (reasons without line breaks). */
export const reportLines = (csv: string) => csv.trimEnd().split("\n");
