import { getDb } from "../../platform/db/client";
import { gatewayFor } from "../../providers/payments/select-gateway";
import {
  type OrderDetails,
  type StepCommand,
  type StepFailed,
  type StepSucceeded,
  stepFailed,
  stepSucceeded,
} from ".";
import {
  confirmReservation,
  releaseInventory,
  reserveInventory,
  restockInventory,
  StepFailure,
} from "./inventory";
import {
  authorizePayment,
  capturePayment,
  paymentStepError,
  refundPayment,
  voidAuthorization,
} from "./payments";

/**
 * Runs one step command's effect and answers it, never throwing: the answer goes back to `decide`.
 * Every effect is idempotent under the command's key, so running a command twice (a restart, a lost
 * answer) does it once. Payment calls give up at the command's deadline at the latest.
 *
 * @example
 * const answer = await runStep(env, command, order, Date.now());
 * decide(state, answer, ctx);
 */
export async function runStep(
  env: Env,
  command: StepCommand,
  order: OrderDetails,
  now: number,
): Promise<StepSucceeded | StepFailed> {
  const db = getDb(env.DB);
  const opts = { signal: AbortSignal.timeout(Math.max(1, command.deadline - now)) };
  try {
    switch (command.type) {
      case "ReserveInventory":
        await reserveInventory(db, command.orderId, command.lines, now);
        return stepSucceeded(command, {});
      case "ConfirmOrder":
        await confirmReservation(db, command.orderId, now);
        return stepSucceeded(command, {});
      case "ReleaseInventory":
        await releaseInventory(db, command.orderId, now);
        return stepSucceeded(command, {});
      case "RestockInventory":
        await restockInventory(db, command.orderId, now);
        return stepSucceeded(command, {});
      case "AuthorizePayment":
        return stepSucceeded(command, await authorizePayment(gatewayFor(env), command, opts));
      case "CapturePayment":
        return stepSucceeded(command, await capturePayment(gatewayFor(env), command, opts));
      case "VoidAuthorization":
        return stepSucceeded(command, await voidAuthorization(gatewayFor(env), command, order, opts));
      case "RefundPayment":
        return stepSucceeded(command, await refundPayment(gatewayFor(env), command, opts));
      default: {
        const unreachable: never = command;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  } catch (err) {
    if (err instanceof StepFailure) return stepFailed(command, err.error);
    return stepFailed(command, paymentStepError(err));
  }
}
