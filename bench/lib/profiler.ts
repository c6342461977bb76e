/**
 * A V8 CPU profiler attached to workerd through its inspector (Chrome DevTools Protocol over a
 * WebSocket), and a summary of a profile as self time per function. For finding where CPU goes, not
 * for benchmarks: with the inspector attached, workerd slows down (about 4×) and console.log costs far
 * more than without it (V8 hands each message to the inspector).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector(url: string) {
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => {
    ws.addEventListener("open", ok);
    ws.addEventListener("error", fail);
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (event: MessageEvent) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((ok) => {
        const id = next++;
        pending.set(id, ok as (r: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Starts sampling the worker whose inspector target's title contains `worker`; stop() returns the profile. */
export async function startProfiler(inspectorPort: number, worker = "crossdock") {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
    title: string;
  }[];
  const target = targets.find((t) => t.title.includes(worker)) ?? targets[0]!;
  const cdp = await inspector(target.webSocketDebuggerUrl);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  return {
    async stop(): Promise<Profile> {
      const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
      cdp.close();
      return profile;
    },
  };
}

/**
 * Self time per function as its share of the samples, top `top` (the bundle inlines every package, so the
 * file is the bundle). Samples are counted rather than their time deltas summed: when the sampler is
 * starved (two busy cores), one sample can carry a gap of most of a second, and summing deltas handed
 * that whole gap to whatever function the sample happened to land in (16% of a checkout profile to one
 * call of hono's dispatch, from a single sample).
 */
export function summariseProfile(profile: Profile, top = 40): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  for (const [id, n] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n);
  }
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  return rows.map(([k, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`).join("\n");
}
