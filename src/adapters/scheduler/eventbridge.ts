import { createHash } from "node:crypto";
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import type { Clock, RevocationScheduler } from "../../app/ports.js";
import { InvalidScheduleName, ScheduleFailed } from "./errors.js";

export interface EventBridgeSchedulerOptions {
  client: SchedulerClient;
  /** The stack's schedule group; the functions may only touch schedules in it. */
  groupName: string;
  /** The revoker function. */
  targetArn: string;
  /** Role EventBridge Scheduler assumes to invoke the revoker. */
  roleArn: string;
  /** SQS queue for invocations that still fail after the retries. */
  deadLetterArn?: string;
  /** Guards against asking for a time that has already passed; defaults to the system clock. */
  clock?: Clock;
}

/** A schedule never fires sooner than this from now: AWS rejects one-time schedules in the past. */
export const MIN_LEAD_MS = 10_000;
/**
 * Wake-ups fire this long before the grant falls due: Scheduler may invoke up to a minute late, and the engine it
 * starts waits to the second.
 */
export const WAKE_EARLY_MS = 60_000;

const NAME_PATTERN = /^[0-9A-Za-z_.-]{1,64}$/;

/**
 * Schedule name for one wake-up of a grant: the grant and the second it falls due. A schedule deletes itself after
 * it fires, so one name per wake-up means a schedule that deletes itself can never remove the next one.
 */
export function scheduleName(grantId: string, dueAt: number): string {
  const name = `grant-${grantId}-${Math.floor(dueAt / 1000)}`;
  if (!NAME_PATTERN.test(name)) throw new InvalidScheduleName(grantId);
  return name;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, to the whole second (Scheduler's resolution). */
export function atExpression(at: number): string {
  const seconds = Math.floor(at / 1000);
  return `at(${new Date(seconds * 1000).toISOString().slice(0, 19)})`;
}

/** Same grant and same time give the same token, so a retried create is not a second schedule. */
export function clientToken(grantId: string, expression: string): string {
  return createHash("sha256").update(`${grantId}|${expression}`).digest("hex");
}

/**
 * One-time EventBridge Scheduler schedules that wake the revoker a minute before a grant falls due, with
 * `{"grantId": id, "at": dueAt}`; the engine it starts drives the grant at the second.
 */
export class EventBridgeRevocationScheduler implements RevocationScheduler {
  private readonly clock: Clock;

  constructor(private readonly options: EventBridgeSchedulerOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async schedule(grantId: string, at: number): Promise<void> {
    const input = this.request(grantId, at);
    try {
      await this.options.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException))
        throw new ScheduleFailed(grantId, "schedule", { cause: error });
      try {
        await this.options.client.send(new UpdateScheduleCommand(input));
      } catch (cause) {
        throw new ScheduleFailed(grantId, "schedule", { cause });
      }
    }
  }

  /** Removes the wake-up for `at`; without it there is nothing to name, and a left-over wake-up finds nothing to do. */
  async cancel(grantId: string, at?: number): Promise<void> {
    if (at === undefined) return;
    try {
      await this.options.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(grantId, at), GroupName: this.options.groupName }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw new ScheduleFailed(grantId, "cancel", { cause: error });
    }
  }

  private request(grantId: string, at: number): CreateScheduleCommandInput {
    const { groupName, targetArn, roleArn, deadLetterArn } = this.options;
    const wake = Math.max(at - WAKE_EARLY_MS, this.clock.now() + MIN_LEAD_MS);
    const expression = atExpression(wake);
    return {
      Name: scheduleName(grantId, at),
      GroupName: groupName,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      State: "ENABLED",
      ClientToken: clientToken(grantId, expression),
      Target: {
        Arn: targetArn,
        RoleArn: roleArn,
        Input: JSON.stringify({ grantId, at }),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        ...(deadLetterArn ? { DeadLetterConfig: { Arn: deadLetterArn } } : {}),
      },
    };
  }
}
