import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LambdaLogger } from "../../../../src/adapters/log/lambda-logger.js";
import { captureLogs, type LogCapture } from "../../../support/log-capture.js";
import { loggerContract } from "../../../support/logger-contract.js";

/** What Lambda passes a handler besides the event, as far as the logger reads it. */
const INVOCATION = {
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  functionName: "AwsAccess-revoker",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:AwsAccess-revoker",
  memoryLimitInMB: "512",
  getRemainingTimeInMillis: () => 60_000,
};

let capture: LogCapture;

beforeEach(() => {
  capture = captureLogs();
});

afterEach(() => {
  capture.restore();
  vi.unstubAllEnvs();
});

loggerContract("LambdaLogger", () => ({ log: new LambdaLogger("revoker"), lines: () => capture.logged() }));

describe("LambdaLogger", () => {
  it.each([
    ["info", "INFO"],
    ["warn", "WARN"],
    ["error", "ERROR"],
  ] as const)(
    "writes one Powertools JSON line per %s call with the function and the fields",
    (method, level) => {
      new LambdaLogger("revoker")[method]("engine done", { grantId: "k7m2x9qa" });

      expect(capture.logged()).toEqual([
        {
          level,
          message: "engine done",
          timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}/),
          service: "aws-access",
          sampling_rate: 0,
          function: "revoker",
          grantId: "k7m2x9qa",
        },
      ]);
    },
  );

  it("adds the request id and the function from Lambda's context, cold only on the first invocation", () => {
    // Lambda sets this for on-demand instances (provisioned ones start warm).
    vi.stubEnv("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    const log = new LambdaLogger("revoker");
    log.addContext(INVOCATION);
    log.info("first");
    log.addContext({ ...INVOCATION, awsRequestId: "second-request" });
    log.info("second");

    const [first, second] = capture.logged();
    expect(first).toMatchObject({
      message: "first",
      cold_start: true,
      function_request_id: INVOCATION.awsRequestId,
      function_name: "AwsAccess-revoker",
      function_arn: INVOCATION.invokedFunctionArn,
      function_memory_size: "512",
    });
    expect(second).toMatchObject({
      message: "second",
      cold_start: false,
      function_request_id: "second-request",
    });
  });

  it("ignores a context without a request id, as tests pass", () => {
    const log = new LambdaLogger("worker");
    log.addContext({ getRemainingTimeInMillis: () => 1_000 });
    log.addContext(undefined);
    log.info("no context");

    expect(capture.logged()[0]).not.toHaveProperty("function_request_id");
  });

  it.each(["POWERTOOLS_LOG_LEVEL", "LOG_LEVEL"])(
    "writes only lines at or above the level %s names",
    (name) => {
      vi.stubEnv(name, "WARN");
      const log = new LambdaLogger("worker");
      log.info("left out");
      log.warn("kept");
      log.error("kept too");

      expect(capture.logged().map((line) => line.message)).toEqual(["kept", "kept too"]);
    },
  );

  it("names the service from POWERTOOLS_SERVICE_NAME", () => {
    vi.stubEnv("POWERTOOLS_SERVICE_NAME", "aws-access-staging");
    new LambdaLogger("slack").info("hello");

    expect(capture.logged()[0]).toMatchObject({ service: "aws-access-staging", function: "slack" });
  });

  it("keeps a field named like one of Powertools' own keys as field_<name>, without a warning", () => {
    const log = new LambdaLogger("slack");
    log.addContext(INVOCATION);
    log.info("slack: request refused", {
      message: "no rule",
      level: "x",
      function_request_id: "y",
      function: "z",
    });

    expect(capture.logged()).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: "slack: request refused",
        function: "slack",
        function_request_id: INVOCATION.awsRequestId,
        field_message: "no rule",
        field_level: "x",
        field_function_request_id: "y",
        field_function: "z",
      }),
    ]);
  });
});
