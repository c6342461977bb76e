import { sql } from "drizzle-orm";
import { listedIgnoredColumns, MAX_IGNORED_COLUMNS } from "./import-row";
import { catalogImports } from "./schema";

/**
 * The import's ignored column names merged with `names`, as an UPDATE's value: the union, sorted, the
 * first MAX_IGNORED_COLUMNS. Chunks are applied in any order (and concurrently with planning), and the
 * first N of a sorted union comes out the same whatever order the names arrive in.
 */
export function mergeIgnoredColumns(names: Iterable<string>) {
  const listed = JSON.stringify(listedIgnoredColumns(names));
  return sql`(select json_group_array(value) from (
      select value from json_each(coalesce(${catalogImports.ignoredColumns}, '[]'))
      union select value from json_each(${listed})
      order by value limit ${MAX_IGNORED_COLUMNS}))`;
}
