/**
 * Lets the event loop go idle for a moment inside long background work. A local workerd (wrangler dev,
 * the tests, the benchmarks) runs every worker, D1 and R2 on one thread and fires timers — the local
 * queue broker's dispatch among them — and serves waiting requests only when that thread goes idle, so
 * a consumer busy from start to end would hold back other queues' deliveries and the job's own status
 * reads until it finished. In production each costs a few milliseconds per unit of work.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
