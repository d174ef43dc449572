import { describe, expect, it } from "vitest";
import { JsonLogger, METRIC_NAMESPACE, metric } from "../../../../src/adapters/log/json-logger.js";
import { loggerContract } from "../../../support/logger-contract.js";

const AT = Date.UTC(2030, 0, 15, 9, 0, 0);

function capture(): { lines: Record<string, unknown>[]; sink: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

loggerContract("JsonLogger", () => {
  const { lines, sink } = capture();
  return { log: new JsonLogger({ sink }), lines: () => lines };
});

describe("JsonLogger", () => {
  it.each(["info", "warn", "error"] as const)(
    "writes one JSON line per %s call with level, time and fields",
    (level) => {
      const { lines, sink } = capture();
      new JsonLogger({ sink, now: () => AT })[level]("grant activated", { grantId: "k7m2x9qa" });

      expect(lines).toEqual([
        { level, time: "2030-01-15T09:00:00.000Z", msg: "grant activated", grantId: "k7m2x9qa" },
      ]);
    },
  );

  it("adds the base and child fields to every line", () => {
    const { lines, sink } = capture();
    const log = new JsonLogger({ sink, base: { fn: "revoker" } }).child({ requestId: "r-1" });
    log.info("sweep");

    expect(lines[0]).toMatchObject({ fn: "revoker", requestId: "r-1", msg: "sweep" });
  });

  it("keeps level, time and message when a field has the same name", () => {
    const { lines, sink } = capture();
    new JsonLogger({ sink, now: () => AT }).info("real", { level: "fake", msg: "fake" });

    expect(lines[0]).toMatchObject({ level: "info", msg: "real" });
  });
});

describe("metric", () => {
  it("writes an Embedded Metric Format line in the AwsAccess namespace", () => {
    const { lines, sink } = capture();
    metric("OverdueActiveGrants", 2, {}, { sink, now: () => AT });

    expect(lines).toEqual([
      {
        _aws: {
          Timestamp: AT,
          CloudWatchMetrics: [
            {
              Namespace: METRIC_NAMESPACE,
              Dimensions: [[]],
              Metrics: [{ Name: "OverdueActiveGrants", Unit: "Count" }],
            },
          ],
        },
        OverdueActiveGrants: 2,
      },
    ]);
  });

  it("counts one by default and declares each dimension with its value", () => {
    const { lines, sink } = capture();
    metric("GrantsActivated", undefined, { Account: "prod" }, { sink, now: () => AT });

    const [line] = lines;
    expect(line?.GrantsActivated).toBe(1);
    expect(line?.Account).toBe("prod");
    expect(line?._aws).toMatchObject({ CloudWatchMetrics: [{ Dimensions: [["Account"]] }] });
  });
});
