import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { buildCrossdock } from "../../bench/lib/build";
import { applyMigrations } from "../../bench/lib/migrations";
import { bundleModules, crossdockWorkerOptions } from "../../bench/lib/runtime";

const root = join(import.meta.dirname, "..", "..");

/**
 * One port per test project that serves the worker, so projects running side by side (`npm test`) never
 * meet; all in 8800-8849, the range the tests keep to.
 */
export const SERVED_PORTS = { browser: 8832, e2e: 8833, gameday: 8834, screenshots: 8835 } as const;

/** The served worker's admin account (its secrets; a developer's .dev.vars never leaks into a test). */
export const SERVED_ADMIN = { email: "admin@served.crossdock", password: "served-admin-password" } as const;

export interface ServedWorker {
  /** The server's origin, e.g. http://127.0.0.1:8832. */
  url: string;
  /** Miniflare's Node proxy to the worker's D1 database, migrated, for a test's setup. */
  db: D1Database;
  /** Stops the server and deletes its bundle; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Crossdock as production runs it, for clients that need a real socket (an EventSource, a browser): the
 * bundle `npm run build` makes, served by Miniflare from Node with wrangler.toml's bindings (fault
 * injection on, as locally) and static assets, on 127.0.0.1:`port`, the D1 migrations applied. Nothing is persisted and nothing is logged.
 *
 * @example
 * let server: ServedWorker;
 * beforeAll(async () => { server = await startServedWorker(SERVED_PORTS.e2e); }, 120_000);
 * afterAll(() => server?.stop());
 */
export async function startServedWorker(port: number): Promise<ServedWorker> {
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-served-"));
  let mf: Miniflare | undefined;
  const stop = async () => {
    await mf?.dispose();
    mf = undefined;
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const { options, assets, assetsDirectory } = crossdockWorkerOptions(join(root, "wrangler.toml"));
    const bundle = await buildCrossdock(root, tmp, assetsDirectory);
    mf = new Miniflare(
      convertV4MiniflareOptions({
        host: "127.0.0.1",
        port,
        cf: false,
        logRequests: false,
        handleStructuredLogs: () => {},
        workers: [
          {
            ...options,
            // Fault injection on, as in every local run and test (the bench options keep it off); the
            // admin pinned, so a test signs in with known credentials whatever a developer's .dev.vars says.
            bindings: {
              ...(options.bindings ?? {}),
              FAULTS_ENABLED: "true",
              ADMIN_EMAIL: SERVED_ADMIN.email,
              ADMIN_PASSWORD: SERVED_ADMIN.password,
            },
            assets,
            name: "crossdock",
            ...bundleModules(bundle),
          },
        ],
      }),
    );
    const url = await mf.ready;
    const db = (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database;
    await applyMigrations(db, join(root, "migrations"));
    return { url: url.origin, db, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The served worker's admin session token, for a browser test's /ops calls under the page. */
export async function servedAdminToken(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SERVED_ADMIN),
  });
  if (res.status !== 200) throw new Error(`admin sign-in: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
