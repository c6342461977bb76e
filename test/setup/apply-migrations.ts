import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { shardBindings } from "../../src/platform/db/shards";

// Setup files may run more than once; applyD1Migrations skips what is already applied. Every shard
// carries the whole schema, as production's would (the same migrations), so the seam needs no list
// of which tables live where.
for (const db of shardBindings(env)) await applyD1Migrations(db, env.TEST_MIGRATIONS);
