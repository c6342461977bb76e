import { type SeededCatalog, seedCatalog } from "./products";
import { type SeededSession, seedSessions } from "./sessions";

/** Distinct users and tokens, so requests do not all hit one row. */
const SESSION_COUNT = 64;

/**
 * Data shared by scenarios, seeded on first use and once per run: a scenario asks for what it needs
 * and the next one gets the same rows.
 */
export class Fixtures {
  #sessions?: Promise<SeededSession[]>;
  #catalog?: Promise<SeededCatalog>;

  constructor(
    private readonly db: D1Database,
    private readonly productCount: number,
  ) {}

  /** Buyers with live sessions. */
  sessions(): Promise<SeededSession[]> {
    this.#sessions ??= seedSessions(this.db, SESSION_COUNT);
    return this.#sessions;
  }

  /** Products seeded so far: the catalog size once a scenario has asked for it, else null. */
  get catalogSize(): number | null {
    return this.#catalog ? this.productCount : null;
  }

  /** One merchant's catalog of BENCH_PRODUCTS products. */
  catalog(): Promise<SeededCatalog> {
    this.#catalog ??= seedSessions(this.db, 1, "merchant").then(([merchant]) =>
      seedCatalog(this.db, merchant!.userId, this.productCount),
    );
    return this.#catalog;
  }
}
