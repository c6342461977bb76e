/**
 * The history of a game day: every operation a client sent and what it was told, in the order sent.
 * The checker (check.ts) holds the final state against it, so a record says exactly what a client
 * could rely on — never what the harness assumes happened.
 */

/** The flows the load driver exercises; each has its own invariants in check.ts. */
export const FLOWS = ["signup", "order", "events", "import", "report"] as const;
export type Flow = (typeof FLOWS)[number];

/**
 * `acked`: the system took it (2xx, or a retry's answer proving the first attempt committed, e.g. 409
 * email-taken after a lost answer). `rejected`: a definite refusal, nothing to check. `indeterminate`:
 * no answer before the client gave up; it may or may not have happened.
 */
export type Outcome = "acked" | "rejected" | "indeterminate";

interface Base {
  id: number;
  startedAt: number;
  endedAt: number;
  outcome: Outcome;
  /** The final answer's status, or null when none came. */
  status: number | null;
  attempts: number;
  networkErrors: number;
  /** Why it was rejected or given up on, or how a late acknowledgement was inferred. */
  note?: string;
}

export type OpRecord = Base &
  (
    | { flow: "signup"; email: string }
    | {
        flow: "order";
        card: string;
        buyerId: string;
        productId: string;
        quantity: number;
        /** Null when the quote itself was refused (e.g. insufficient stock). */
        quoteId: string | null;
        /** From the 202; null when the acknowledgement was inferred (409 quote-already-used on a retry). */
        orderId: string | null;
        /** When POST /v1/orders was first sent (the work is in flight from then on). */
        orderSentAt: number | null;
      }
    | { flow: "events"; productIds: string[]; ids: string[]; acceptedIds: string[] }
    | { flow: "import"; jobId: string | null; skus: string[]; titleToken: string }
    | { flow: "report"; jobId: string | null }
  );

export type RecordOf<F extends Flow> = Extract<OpRecord, { flow: F }>;

/** What the scenario did to the runtime, with times (epoch ms). */
export interface Fault {
  kill: number;
  killedAt: number;
  restartedAt: number;
  /** First 200 from GET /health after the restart. */
  healthyAt: number;
}

export class History {
  readonly ops: OpRecord[] = [];
  readonly faults: Fault[] = [];

  add(op: OpRecord): void {
    this.ops.push(op);
  }

  of<F extends Flow>(flow: F): RecordOf<F>[] {
    return this.ops.filter((op): op is RecordOf<F> => op.flow === flow);
  }
}
