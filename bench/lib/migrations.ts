import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const BREAKPOINT = "--> statement-breakpoint";

/**
 * Applies migrations/*.sql in file-name order, one statement at a time. Statements are split on
 * drizzle-kit's breakpoint marker, never on `;`, because the FTS5 triggers have `;` inside BEGIN…END.
 */
export async function applyMigrations(db: D1Database, dir: string): Promise<number> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  let applied = 0;
  for (const file of files) {
    const text = await readFile(join(dir, file), "utf8");
    const statements = text
      .split(BREAKPOINT)
      .map((s) => s.trim())
      .filter((s) => s.replace(/^--.*$/gm, "").trim() !== "");
    for (const statement of statements) {
      try {
        await db.prepare(statement).run();
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}\n${statement}`);
      }
    }
    applied += statements.length;
  }
  return applied;
}
