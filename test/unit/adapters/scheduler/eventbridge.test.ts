import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ScheduleFailed } from "../../../../src/adapters/scheduler/errors.js";
import {
  atExpression,
  EventBridgeRevocationScheduler,
  MIN_LEAD_MS,
  scheduleName,
} from "../../../../src/adapters/scheduler/eventbridge.js";
import { FakeSchedulerApi } from "../../../support/scheduler-api.js";

const NOW = Date.UTC(2030, 0, 15, 9, 0, 0);
const GROUP = "aws-access";
const TARGET = "arn:aws:lambda:us-east-1:123456789012:function:revoker";
const ROLE = "arn:aws:iam::123456789012:role/scheduler-invoke";
const DLQ = "arn:aws:sqs:us-east-1:123456789012:revoker-dlq";

describe("EventBridgeRevocationScheduler", () => {
  const fake = new FakeSchedulerApi();
  let client: SchedulerClient;
  let scheduler: EventBridgeRevocationScheduler;

  beforeAll(async () => {
    const endpoint = await fake.start();
    client = new SchedulerClient({
      endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    scheduler = new EventBridgeRevocationScheduler({
      client,
      groupName: GROUP,
      targetArn: TARGET,
      roleArn: ROLE,
      deadLetterArn: DLQ,
      clock: { now: () => NOW },
    });
  });

  afterAll(async () => {
    client.destroy();
    await fake.stop();
  });

  beforeEach(() => {
    fake.requests.length = 0;
    fake.schedules.clear();
    fake.rejected.clear();
  });

  it("wakes the revoker a minute before the grant falls due, under a name for that time", async () => {
    const due = NOW + 4 * 3_600_000;
    await scheduler.schedule("k7m2x9qa", due);

    const [request] = fake.requests;
    const name = `grant-k7m2x9qa-${due / 1000}`;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/schedules/${name}`);
    expect(request?.body).toMatchObject({
      GroupName: GROUP,
      ScheduleExpression: "at(2030-01-15T12:59:00)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: { Arn: TARGET, RoleArn: ROLE, DeadLetterConfig: { Arn: DLQ } },
    });
    const target = request?.body.Target as { Input?: string } | undefined;
    expect(JSON.parse(target?.Input ?? "null")).toEqual({ grantId: "k7m2x9qa", at: due });
    expect(fake.schedules.has(`${GROUP}/${name}`)).toBe(true);
  });

  it("derives the client token from the grant and the time, the same on a retry", async () => {
    const at = NOW + 3_600_000;
    await scheduler.schedule("k7m2x9qa", at);
    fake.schedules.clear();
    await scheduler.schedule("k7m2x9qa", at);
    await scheduler.schedule("k7m2x9qb", at);

    const tokens = fake.requests.filter((r) => r.method === "POST").map((r) => r.body.ClientToken);
    expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it("gives each wake-up of a grant its own schedule, so one deleting itself never removes the next", async () => {
    const reminder = NOW + 3_600_000;
    const expiry = NOW + 2 * 3_600_000;
    await scheduler.schedule("k7m2x9qa", reminder);
    await scheduler.schedule("k7m2x9qa", expiry);
    // Scheduler deletes the reminder's schedule after it fires: the expiry's stays.
    fake.schedules.delete(`${GROUP}/${scheduleName("k7m2x9qa", reminder)}`);

    expect(fake.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    const stored = fake.schedules.get(`${GROUP}/${scheduleName("k7m2x9qa", expiry)}`);
    expect(stored?.ScheduleExpression).toBe("at(2030-01-15T10:59:00)");
    expect(fake.schedules.size).toBe(1);
  });

  it("never asks for a time in the past: an overdue wake-up fires shortly after now", async () => {
    await scheduler.schedule("k7m2x9qa", NOW - 60_000);

    expect(fake.requests[0]?.body.ScheduleExpression).toBe(atExpression(NOW + MIN_LEAD_MS));
  });

  it("deletes the wake-up planned for a time when the grant ends before it", async () => {
    const at = NOW + 3_600_000;
    await scheduler.schedule("k7m2x9qa", at);
    await scheduler.cancel("k7m2x9qa", at);

    const last = fake.requests.at(-1);
    expect(last?.method).toBe("DELETE");
    expect(last?.path).toBe(`/schedules/${scheduleName("k7m2x9qa", at)}`);
    expect(last?.query.get("groupName")).toBe(GROUP);
    expect(fake.schedules.size).toBe(0);
  });

  it("counts a schedule that is already gone as cancelled", async () => {
    await expect(scheduler.cancel("k7m2x9qa", NOW)).resolves.toBeUndefined();
    expect(fake.requests[0]?.method).toBe("DELETE");
  });

  it("reports a refused schedule as ScheduleFailed naming the grant", async () => {
    const at = NOW + 3_600_000;
    fake.rejected.add(scheduleName("k7m2x9qa", at));

    await expect(scheduler.schedule("k7m2x9qa", at)).rejects.toBeInstanceOf(ScheduleFailed);
    await expect(scheduler.cancel("k7m2x9qa", at)).rejects.toThrow(/grant k7m2x9qa.*ValidationException/);
  });
});

describe("atExpression", () => {
  it.each([
    [Date.UTC(2030, 0, 15, 9, 0, 0), "at(2030-01-15T09:00:00)"],
    [Date.UTC(2030, 0, 15, 9, 0, 0) + 1, "at(2030-01-15T09:00:00)"],
    [Date.UTC(2030, 11, 31, 23, 59, 59) + 999, "at(2030-12-31T23:59:59)"],
  ])("keeps %d to the whole second: %s", (at, expected) => {
    expect(atExpression(at)).toBe(expected);
  });
});

describe("scheduleName", () => {
  it("refuses an id that cannot be part of a schedule name", () => {
    expect(() => scheduleName("a b", NOW)).toThrow(/cannot name a schedule/);
  });
});
