import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EVENT_CATALOG } from "../../../../src/flows";
import { currentVersion, defineEvent, eventVersion } from "../../../../src/platform/events/define-event";

const A = z.object({ a: z.string() });
const B = z.object({ b: z.string() });
const base = { type: "thing.happened", description: "", subject: "thing" };

describe("defineEvent", () => {
  it("given versions 1..n with upcasters and current last, then it returns the definition", () => {
    const def = defineEvent({
      ...base,
      current: B,
      versions: [
        { version: 1, schema: A, example: { a: "x" } },
        { version: 2, schema: B, example: { b: "x" }, upcast: (p: { a: string }) => ({ b: p.a }) },
      ],
    });
    expect(currentVersion(def)).toBe(2);
  });

  it("given versions out of order or with a gap, then it refuses at load time", () => {
    const upcast = (p: { a: string }) => ({ b: p.a });
    for (const numbers of [
      [2, 1],
      [1, 3],
      [0, 1],
    ]) {
      expect(() =>
        defineEvent({
          ...base,
          current: B,
          versions: [
            { version: numbers[0]!, schema: A, example: {} },
            { version: numbers[1]!, schema: B, example: {}, upcast },
          ],
        }),
      ).toThrow(/numbered one apart/);
    }
  });

  it("given first versions dropped, then the rest keep their numbers and the dropped ones are unknown", () => {
    const def = defineEvent({
      ...base,
      current: A,
      versions: [{ version: 2, schema: A, example: { a: "x" } }],
    });
    expect(currentVersion(def)).toBe(2);
    expect(eventVersion(def, 2)?.schema).toBe(A);
    expect(eventVersion(def, 1)).toBeUndefined();
    expect(eventVersion(def, 3)).toBeUndefined();
  });

  it("given a later version without an upcaster, then it refuses", () => {
    expect(() =>
      defineEvent({
        ...base,
        current: B,
        versions: [
          { version: 1, schema: A, example: {} },
          { version: 2, schema: B, example: {} },
        ],
      }),
    ).toThrow(/needs an upcaster from v1/);
  });

  it("given a current schema that is not the last version's, then it refuses", () => {
    expect(() =>
      defineEvent({ ...base, current: B, versions: [{ version: 1, schema: A, example: {} }] }),
    ).toThrow(/current must be the last version/);
  });

  it("every catalogued example is valid for its own version's schema", () => {
    for (const def of Object.values(EVENT_CATALOG)) {
      for (const v of def.versions)
        expect(v.schema.safeParse(v.example).success, `${def.type} v${v.version}`).toBe(true);
    }
  });
});
