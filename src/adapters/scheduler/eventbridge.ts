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

const NAME_PATTERN = /^[0-9A-Za-z_.-]{1,64}$/;

/** Schedule name for a grant: one per grant, so an extension moves it instead of adding another. */
export function scheduleName(grantId: string): string {
  const name = `grant-${grantId}`;
  if (!NAME_PATTERN.test(name)) throw new InvalidScheduleName(grantId);
  return name;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the whole second so it never fires early. */
export function atExpression(at: number): string {
  const seconds = Math.ceil(at / 1000);
  return `at(${new Date(seconds * 1000).toISOString().slice(0, 19)})`;
}

/** Same grant and same time give the same token, so a retried create is not a second schedule. */
export function clientToken(grantId: string, expression: string): string {
  return createHash("sha256").update(`${grantId}|${expression}`).digest("hex");
}

/** One-time EventBridge Scheduler schedules that invoke the revoker with `{"grantId": id}` at expiry. */
export class EventBridgeRevocationScheduler implements RevocationScheduler {
  private readonly clock: Clock;

  constructor(private readonly options: EventBridgeSchedulerOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async schedule(grantId: string, at: number): Promise<void> {
    const input = this.request(grantId, Math.max(at, this.clock.now() + MIN_LEAD_MS));
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

  async cancel(grantId: string): Promise<void> {
    try {
      await this.options.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(grantId), GroupName: this.options.groupName }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw new ScheduleFailed(grantId, "cancel", { cause: error });
    }
  }

  private request(grantId: string, at: number): CreateScheduleCommandInput {
    const { groupName, targetArn, roleArn, deadLetterArn } = this.options;
    const expression = atExpression(at);
    return {
      Name: scheduleName(grantId),
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
        Input: JSON.stringify({ grantId }),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        ...(deadLetterArn ? { DeadLetterConfig: { Arn: deadLetterArn } } : {}),
      },
    };
  }
}
