import { readChunkLine } from "./chunk-format";
import type { ChunkSource } from "./events";
import { rangeRows } from "./range-rows";
import type { StagedRow } from "./staged-row";

/**
 * A staged chunk's rows, read from R2: a byte range of the uploaded NDJSON file (one ranged get, its
 * lines parsed here — the planner only found where they are), or a chunk object the planner wrote
 * (CSV; chunk-format.ts).
 */
export async function readStagedRows(files: R2Bucket, source: ChunkSource): Promise<StagedRow[]> {
  if (source.kind === "range") {
    const { key, offset, length, firstLine } = source;
    const object = await files.get(key, { range: { offset, length } });
    // The planner read the file before recording this fact and nothing deletes it; if not, retry loudly.
    if (!object) throw new Error(`catalog-imports: source object ${key} is missing`);
    const bytes = await object.arrayBuffer();
    if (bytes.byteLength !== length) {
      throw new Error(`catalog-imports: read ${bytes.byteLength} of ${length} bytes at ${offset} of ${key}`);
    }
    return rangeRows(new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes), firstLine);
  }
  const object = await files.get(source.key);
  // The planner wrote it before recording this fact, so it exists; if not, retry loudly.
  if (!object) throw new Error(`catalog-imports: chunk object ${source.key} is missing`);
  const rows: StagedRow[] = [];
  for (const chunkLine of (await object.text()).split("\n")) {
    if (chunkLine !== "") rows.push(readChunkLine(chunkLine));
  }
  return rows;
}
