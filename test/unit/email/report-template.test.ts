import { describe, expect, it } from "vitest";
import { renderReportReady } from "../../../src/consumers/email/templates/report";

describe("renderReportReady", () => {
  it("says the report is ready and where to download it", () => {
    const email = renderReportReady({
      reportId: "job_1",
      ownerId: "usr_1",
      type: "sales",
      from: "2026-03-01",
      to: "2026-03-31",
      rows: 12,
      bytes: 2048,
      downloadUrl: "/v1/reports/job_1/download",
    });
    expect(email.subject).toBe("Your report is ready");
    expect(email.text).toContain("sales report for 2026-03-01 to 2026-03-31");
    expect(email.text).toContain("GET /v1/reports/job_1/download");
    expect(email.html).toContain("/v1/reports/job_1/download");
  });
});
