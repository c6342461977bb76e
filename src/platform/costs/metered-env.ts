import { jsonBytes } from "../events/pack-by-size";
import { type CostScope, count } from "./meter";
import { meteredD1 } from "./metered-d1";
import { queueOps } from "./model";

type Fn = (...args: unknown[]) => unknown;
/** Whether `o` has these methods; a binding that refuses to be looked at (a test's stand-in) has none. */
const has = (o: object, ...names: string[]) => {
  try {
    return names.every((n) => typeof (o as Record<string, unknown>)[n] === "function");
  } catch {
    return false;
  }
};

function meteredQueue(real: Queue, fallback: CostScope | undefined): Queue {
  const sent = (bodies: readonly unknown[]) => {
    count("queueMessagesSent", bodies.length, fallback);
    count(
      "queueWriteOps",
      bodies.reduce<number>((s, b) => s + queueOps(jsonBytes(b)), 0),
      fallback,
    );
  };
  const queue = {
    async send(body: unknown, options?: QueueSendOptions) {
      const r = await real.send(body, options);
      sent([body]);
      return r;
    },
    async sendBatch(messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) {
      const list = [...messages];
      const r = await real.sendBatch(list, options);
      sent(list.map((m) => m.body));
      return r;
    },
  };
  // Reading the backlog figures moves no message, so Queues bills no operation for it: not counted.
  // Passed on only where the runtime has it, so a caller can tell "no figures here" from a failure.
  if (!has(real, "metrics")) return queue as Queue;
  return { ...queue, metrics: () => real.metrics() } as Queue;
}

// R2's classes: writes and lists are class A, reads class B, deletes and aborts free.
const R2_CLASS_A = new Set(["put", "list", "createMultipartUpload", "uploadPart", "complete"]);
const R2_CLASS_B = new Set(["get", "head"]);

/** Counts R2 calls by class; the multipart uploads it hands out are counted the same way. */
function meteredR2<T extends object>(real: T, fallback: CostScope | undefined): T {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof prop !== "string" || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (R2_CLASS_A.has(prop)) count("r2ClassA", 1, fallback);
        if (R2_CLASS_B.has(prop)) count("r2ClassB", 1, fallback);
        const result = await Reflect.apply(value as Fn, target, args);
        const upload = prop === "createMultipartUpload" || prop === "resumeMultipartUpload";
        return upload && result ? meteredR2(result as object, fallback) : result;
      };
    },
  });
}

/**
 * A Durable Object stub whose every call (an RPC method, or `fetch`) counts as one DO request — each is
 * its own billed RPC session — and its wall time as the object's active time.
 */
function meteredStub<T extends object>(stub: T, fallback: CostScope | undefined): T {
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof prop !== "string" || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const started = Date.now();
        count("doRequests", 1, fallback);
        try {
          return await Reflect.apply(value as Fn, target, args);
        } finally {
          count("doWallMs", Date.now() - started, fallback);
        }
      };
    },
  });
}

function meteredNamespace<T extends object>(real: T, fallback: CostScope | undefined): T {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) =>
          meteredStub(Reflect.apply(value as Fn, target, args) as object, fallback);
      }
      return (...args: unknown[]) => Reflect.apply(value as Fn, target, args);
    },
  });
}

function meteredBinding(value: unknown, fallback: CostScope | undefined): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (has(value, "prepare", "batch", "exec")) return meteredD1(value as D1Database, fallback);
  if (has(value, "send", "sendBatch")) return meteredQueue(value as Queue, fallback);
  if (has(value, "put", "get", "head", "createMultipartUpload")) return meteredR2(value, fallback);
  if (has(value, "idFromName", "get")) return meteredNamespace(value, fallback);
  return value;
}

const cache = new WeakMap<object, Map<string, Env>>();

/**
 * `env` with its D1, Queues, R2 and Durable Object bindings counting what they are asked to do, for
 * the scope running (`meter.ts`) or else `fallback` (a Durable Object's own flow). Built once per env
 * and fallback, so per-binding caches (`getDb`) keep working.
 *
 * @example
 * constructor(ctx: DurableObjectState, env: Env) { super(ctx, meteredEnv(env, { flow: "checkout" })); }
 */
export function meteredEnv(env: Env, fallback?: CostScope): Env {
  const key = fallback?.flow ?? "";
  let byScope = cache.get(env);
  if (!byScope) {
    byScope = new Map();
    cache.set(env, byScope);
  }
  const hit = byScope.get(key);
  if (hit) return hit;
  const wrapped = Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, meteredBinding(value, fallback)]),
  ) as unknown as Env;
  byScope.set(key, wrapped);
  return wrapped;
}

/**
 * A queue batch whose deliveries, acks and retries are counted: each delivery is one read per 64 KB
 * (a retry shows up as the next attempt's read), each ack one delete.
 */
export function meteredBatch<B>(batch: MessageBatch<B>): MessageBatch<B> {
  const opsOf = new Map<Message<B>, number>();
  for (const m of batch.messages) opsOf.set(m, queueOps(jsonBytes(m.body)));
  count("queueDeliveries", batch.messages.length);
  count(
    "queueReadOps",
    [...opsOf.values()].reduce((s, n) => s + n, 0),
  );
  const settled = new Set<Message<B>>();
  const ack = (m: Message<B>) => {
    if (settled.has(m)) return;
    settled.add(m);
    count("queueAcks", 1);
    count("queueDeleteOps", opsOf.get(m) ?? 1);
  };
  const retry = (m: Message<B>) => {
    if (settled.has(m)) return;
    settled.add(m);
    count("queueRetries", 1);
  };
  const messages = batch.messages.map(
    (m): Message<B> => ({
      get id() {
        return m.id;
      },
      get timestamp() {
        return m.timestamp;
      },
      get body() {
        return m.body;
      },
      get attempts() {
        return m.attempts;
      },
      ack() {
        ack(m);
        m.ack();
      },
      retry(options?: QueueRetryOptions) {
        retry(m);
        m.retry(options);
      },
    }),
  );
  return {
    queue: batch.queue,
    get metadata() {
      return batch.metadata;
    },
    messages,
    ackAll() {
      for (const m of batch.messages) ack(m);
      batch.ackAll();
    },
    retryAll(options?: QueueRetryOptions) {
      for (const m of batch.messages) retry(m);
      batch.retryAll(options);
    },
  } as MessageBatch<B>;
}

/**
 * A Durable Object's SQL storage that counts the rows each statement read and wrote. The cursor's
 * counts are final once it has been read, which the callers do synchronously, so they are taken a
 * microtask later.
 */
export function meteredSql(sql: SqlStorage, fallback: CostScope): SqlStorage {
  return new Proxy(sql, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop !== "exec") return (...args: unknown[]) => Reflect.apply(value as Fn, target, args);
      return (...args: unknown[]) => {
        const cursor = Reflect.apply(value as Fn, target, args) as SqlStorageCursor<
          Record<string, SqlStorageValue>
        >;
        queueMicrotask(() => {
          count("doSqlRowsRead", cursor.rowsRead, fallback);
          count("doSqlRowsWritten", cursor.rowsWritten, fallback);
        });
        return cursor;
      };
    },
  });
}
