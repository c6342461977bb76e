import { describe, expect, it } from "vitest";
import { reportFileName, reportObjectKey, reportRange, utcDayStart } from "../../../src/flows/reports/report";

describe("reportRange", () => {
  it("covers whole UTC days, to the start of the day after 'to'", () => {
    const r = reportRange("2026-03-01", "2026-03-31");
    expect(r).toEqual({
      ok: true,
      range: {
        from: "2026-03-01",
        to: "2026-03-31",
        fromMs: Date.parse("2026-03-01T00:00:00Z"),
        toMs: Date.parse("2026-04-01T00:00:00Z"),
      },
    });
  });

  it("allows one day and up to 366 days, not 367", () => {
    expect(reportRange("2026-03-01", "2026-03-01").ok).toBe(true);
    expect(reportRange("2024-01-01", "2024-12-31").ok).toBe(true);
    expect(reportRange("2025-01-01", "2026-01-02")).toMatchObject({ ok: false, problem: { field: "to" } });
  });

  it("names the field at fault", () => {
    expect(reportRange("2026-02-30", "2026-03-01")).toMatchObject({ ok: false, problem: { field: "from" } });
    expect(reportRange("2026-03-01", "2026-13-01")).toMatchObject({ ok: false, problem: { field: "to" } });
    expect(reportRange("2026-03-02", "2026-03-01")).toMatchObject({ ok: false, problem: { field: "to" } });
  });
});

describe("naming", () => {
  it("keys files by owner and id, and offers them by type and range", () => {
    expect(reportObjectKey("usr_1", "job_1")).toBe("reports/usr_1/job_1.csv");
    expect(reportFileName({ type: "sales", from: "2026-03-01", to: "2026-03-31" })).toBe(
      "sales-2026-03-01-2026-03-31.csv",
    );
    expect(utcDayStart("2024-02-29")).toBe(Date.parse("2024-02-29T00:00:00Z"));
    expect(utcDayStart("2025-02-29")).toBeNull();
  });
});
