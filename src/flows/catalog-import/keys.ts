/**
 * Where an import's files live in R2 (FILES) and the ids of the facts it records. Both are derived
 * from the import id, so a planner or applier that runs again writes the same objects and the same
 * outbox rows instead of new ones.
 */
export const sourceKey = (importId: string) => `imports/${importId}/source`;
export const chunkKey = (importId: string, chunk: number) => `imports/${importId}/chunks/${chunk}.ndjson`;

const tail = (importId: string) => importId.replace(/^job_/, "");
export const chunkStagedEventId = (importId: string, chunk: number) => `evt_${tail(importId)}_chunk_${chunk}`;
export const importedEventId = (importId: string) => `evt_${tail(importId)}_imported`;

export const errorsUrlOf = (importId: string) => `/v1/catalog/imports/${importId}/errors`;
