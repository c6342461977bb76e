// Writes the OpenAPI document exactly as the Worker serves it at /openapi.json, offline, so the
// linters (npm run lint:openapi) read what clients read. Usage: tsx scripts/export-openapi.ts [file]
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createApp } from "../src/app";

const out = process.argv[2] ?? ".tmp/openapi.json";
// /openapi.json touches no binding; an empty env is enough for the middleware in front of it.
const res = await createApp().request("/openapi.json", {}, {} as Env);
if (!res.ok) throw new Error(`/openapi.json answered ${res.status}: ${await res.text()}`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(await res.json(), null, 2)}\n`);
