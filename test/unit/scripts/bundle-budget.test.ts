import { describe, expect, it } from "vitest";
import { BUNDLE_GZIP_BYTES, bundleOverBudget } from "../../../scripts/bundle-budget";

describe("the production bundle's budget", () => {
  it("passes a bundle at its budget and names one a byte over", () => {
    expect(bundleOverBudget(BUNDLE_GZIP_BYTES)).toBeNull();
    expect(bundleOverBudget(BUNDLE_GZIP_BYTES + 1)).toBe(
      `the production bundle is ${BUNDLE_GZIP_BYTES + 1} B gzipped, over its budget of ${BUNDLE_GZIP_BYTES} B (see scripts/bundle-budget.ts)`,
    );
  });

  it("stays well under Cloudflare's 3 MB compressed limit of the free plan", () => {
    expect(BUNDLE_GZIP_BYTES).toBeLessThan(3_000_000 / 2);
  });
});
