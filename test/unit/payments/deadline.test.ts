import { describe, expect, it } from "vitest";
import { Deadline } from "../../../src/providers/payments/deadline";
import { PaymentTimeoutError } from "../../../src/providers/payments/errors";

/** A Deadline that counts the timeout errors it builds. */
class CountingDeadline extends Deadline {
  built = 0;
  override error(): PaymentTimeoutError {
    this.built++;
    return super.error();
  }
}

/** Resolves once the deadline's own timer has fired (waits on the signal, not on a sleep). */
const timerFired = (deadline: Deadline) =>
  new Promise<void>((resolve) => {
    if (deadline.signal.aborted) resolve();
    else deadline.signal.addEventListener("abort", () => resolve(), { once: true });
  });

describe("Deadline.race", () => {
  it("answers with the work when it settles in time", async () => {
    const deadline = new Deadline("authorize", 5_000);
    await expect(deadline.race(Promise.resolve("answered"))).resolves.toBe("answered");
  });

  it("rejects with a PaymentTimeoutError when the work does not answer in time", async () => {
    const deadline = new Deadline("capture", 5);
    const error = await deadline.race(new Promise(() => {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect((error as PaymentTimeoutError).operation).toBe("capture");
  });

  // Every payment call leaves its timer running after it answers; the error built when that timer
  // fires was pure waste (a stack trace per call, seen in the checkout benchmark's CPU profile).
  it("builds no timeout error when the timer fires after the work answered", async () => {
    const deadline = new CountingDeadline("authorize", 5);
    await deadline.race(Promise.resolve("answered"));
    await timerFired(deadline);
    expect(deadline.built).toBe(0);
  });

  it("builds no timeout error when the work failed before the deadline", async () => {
    const deadline = new CountingDeadline("authorize", 5);
    await expect(deadline.race(Promise.reject(new Error("declined")))).rejects.toThrow("declined");
    await timerFired(deadline);
    expect(deadline.built).toBe(0);
  });
});
