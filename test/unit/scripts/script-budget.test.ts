import { describe, expect, it } from "vitest";
import { overBudget } from "../../../scripts/script-budget";

describe("the storefront's script budget", () => {
  it("passes scripts that fit, one by one and together", () => {
    expect(
      overBudget(
        [
          { file: "a.js", gzipBytes: 4096 },
          { file: "b.js", gzipBytes: 100 },
        ],
        4096,
        5000,
      ),
    ).toEqual([]);
  });

  it("names a script over its own limit, and the total over the page's", () => {
    expect(overBudget([{ file: "a.js", gzipBytes: 4097 }], 4096, 10_000)).toEqual([
      "a.js is 4097 B gzipped, over the 4096 B a script may take",
    ]);
    expect(
      overBudget(
        [
          { file: "a.js", gzipBytes: 3000 },
          { file: "b.js", gzipBytes: 3000 },
        ],
        4096,
        5000,
      ),
    ).toEqual(["the storefront's scripts take 6000 B gzipped together, over 5000 B"]);
  });
});
