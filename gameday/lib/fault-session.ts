/**
 * The faults of one game day: each one set through /ops/faults with an expiry and remembered as a
 * window for the report's charts, and a rollback that clears every fault whatever happened — the
 * scenario finished, failed, aborted, or the harness itself threw.
 */
import type { Fault, FaultSpec, OpsClient } from "./ops";
import type { Window } from "./report-model";

export class AbortedError extends Error {}

export class FaultSession {
  readonly windows: Window[] = [];
  private readonly open = new Map<string, Window>();

  constructor(
    private readonly ops: OpsClient,
    private readonly log: (m: string) => void = () => {},
  ) {}

  async inject(spec: FaultSpec, seconds: number, label: string): Promise<Fault> {
    const fault = await this.ops.setFault(spec, seconds);
    const w = { label, from: Date.parse(fault.createdAt), to: Date.parse(fault.expiresAt) };
    this.windows.push(w);
    this.open.set(fault.id, w);
    this.log(`fault ${fault.id}: ${label} for ${seconds} s`);
    return fault;
  }

  async clear(fault: Fault): Promise<void> {
    await this.ops.clearFault(fault.id);
    this.close(fault.id, Date.now());
    this.log(`fault ${fault.id} cleared`);
  }

  /** Clears every fault on the runtime (not only this session's) and closes the open windows. */
  async rollback(): Promise<boolean> {
    try {
      await this.ops.clearAllFaults();
      const now = Date.now();
      for (const id of [...this.open.keys()]) this.close(id, now);
      this.log("rollback: every fault cleared");
      return true;
    } catch (err) {
      this.log(`rollback FAILED, clear the faults by hand (DELETE /ops/faults): ${(err as Error).message}`);
      return false;
    }
  }

  /**
   * Runs `method` and rolls back afterwards, however it ends. An abort (AbortedError) is an outcome,
   * returned as `{ aborted }`; any other error is rethrown after the rollback.
   */
  async run<T>(method: () => Promise<T>): Promise<{ value: T } | { aborted: AbortedError }> {
    try {
      return { value: await method() };
    } catch (err) {
      if (err instanceof AbortedError) return { aborted: err };
      throw err;
    } finally {
      await this.rollback();
    }
  }

  private close(id: string, at: number): void {
    const w = this.open.get(id);
    if (w) w.to = Math.min(w.to, at);
    this.open.delete(id);
  }
}
