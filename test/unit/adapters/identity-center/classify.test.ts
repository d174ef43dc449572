import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { classify, type Verdict } from "../../../../src/adapters/identity-center/classify.js";
import {
  IdentityCenterRequestFailed,
  RetriesExhausted,
  translate,
} from "../../../../src/adapters/identity-center/errors.js";
import { AssignmentRefused, type RefusalKind } from "../../../../src/app/errors.js";

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

/** Every error the API reference documents for the four calls, as the SDK builds it from a response. */
const DOCUMENTED = {
  AccessDeniedException: () => new AccessDeniedException({ message: "not allowed", ...meta(400) }),
  ConflictException: () => new ConflictException({ message: "in progress", ...meta(400) }),
  InternalServerException: () => new InternalServerException({ message: "oops", ...meta(500) }),
  ResourceNotFoundException: () => new ResourceNotFoundException({ message: "no such thing", ...meta(400) }),
  ServiceQuotaExceededException: () => new ServiceQuotaExceededException({ message: "quota", ...meta(400) }),
  ThrottlingException: () => new ThrottlingException({ message: "Rate exceeded", ...meta(400) }),
  ValidationException: () => new ValidationException({ message: "bad", ...meta(400) }),
};

type Code = keyof typeof DOCUMENTED;
type Expected = { outcome: Verdict["outcome"]; kind?: RefusalKind; code?: string };
const final = (kind: RefusalKind): Expected => ({ outcome: "final", kind });
const RETRY: Expected = { outcome: "retryable" };

/** Create documents all seven; Delete all but ServiceQuotaExceeded; the two Describe…Status calls all but that and Conflict. */
const TABLE: Array<[string, Code, Expected]> = [
  ["CreateAccountAssignment", "AccessDeniedException", final("access-denied")],
  ["CreateAccountAssignment", "ConflictException", RETRY],
  ["CreateAccountAssignment", "InternalServerException", RETRY],
  ["CreateAccountAssignment", "ResourceNotFoundException", final("not-found")],
  ["CreateAccountAssignment", "ServiceQuotaExceededException", final("quota")],
  ["CreateAccountAssignment", "ThrottlingException", RETRY],
  ["CreateAccountAssignment", "ValidationException", final("invalid")],
  ["DeleteAccountAssignment", "AccessDeniedException", final("access-denied")],
  ["DeleteAccountAssignment", "ConflictException", RETRY],
  ["DeleteAccountAssignment", "InternalServerException", RETRY],
  ["DeleteAccountAssignment", "ResourceNotFoundException", { outcome: "already-done" }],
  ["DeleteAccountAssignment", "ThrottlingException", RETRY],
  ["DeleteAccountAssignment", "ValidationException", final("invalid")],
  ...(
    ["DescribeAccountAssignmentCreationStatus", "DescribeAccountAssignmentDeletionStatus"] as const
  ).flatMap(
    (op): Array<[string, Code, Expected]> => [
      [op, "AccessDeniedException", final("access-denied")],
      [op, "InternalServerException", RETRY],
      // A request id Identity Center has just returned may not be readable yet.
      [op, "ResourceNotFoundException", RETRY],
      [op, "ThrottlingException", RETRY],
      [op, "ValidationException", final("invalid")],
    ],
  ),
];

const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe("classify", () => {
  it.each(TABLE)("classifies %s answered %s", (operation, code, verdict) => {
    expect(classify(operation, DOCUMENTED[code]())).toMatchObject({ ...verdict, code });
  });

  it.each<[string, unknown, Expected]>([
    ["a reset connection", networkError("ECONNRESET"), { outcome: "retryable", code: "ECONNRESET" }],
    ["a refused connection", networkError("ECONNREFUSED"), { outcome: "retryable", code: "ECONNREFUSED" }],
    ["a DNS failure", networkError("EAI_AGAIN"), { outcome: "retryable" }],
    [
      "the SDK's request timeout",
      Object.assign(new Error("request timed out"), { name: "TimeoutError", code: "ETIMEDOUT" }),
      { outcome: "retryable", code: "ETIMEDOUT" },
    ],
    ["the SDK's socket timeout", Object.assign(new Error("idle"), { name: "TimeoutError" }), RETRY],
    ["an unknown HTTP 503", { name: "ServiceUnavailable", ...meta(503) }, RETRY],
    ["an unknown HTTP 429", { name: "SlowDown", ...meta(429) }, RETRY],
    ["a response the SDK could not read", { name: "SyntaxError", ...meta(200) }, RETRY],
    ["an expired token", { name: "ExpiredTokenException", ...meta(400) }, RETRY],
    ["a bug in the adapter", new TypeError("x is undefined"), { outcome: "retryable", code: "TypeError" }],
    ["something that is not an error", "boom", RETRY],
    ["an unknown AWS 4xx", { name: "SomethingNewException", ...meta(400) }, final("invalid")],
    [
      "unrecognised credentials",
      { name: "UnrecognizedClientException", ...meta(400) },
      final("access-denied"),
    ],
  ])("classifies %s on CreateAccountAssignment", (_, error, verdict) => {
    expect(classify("CreateAccountAssignment", error)).toMatchObject(verdict);
  });

  it("treats a ResourceNotFound of a read other than a status poll as final", () => {
    expect(classify("ListAccountAssignments", DOCUMENTED.ResourceNotFoundException())).toMatchObject(
      final("not-found"),
    );
  });
});

describe("translate", () => {
  it("turns a final answer to a Create or Delete into AssignmentRefused, with the AWS name in the detail", () => {
    const refused = translate("CreateAccountAssignment", DOCUMENTED.AccessDeniedException());

    expect(refused).toBeInstanceOf(AssignmentRefused);
    expect(refused).toMatchObject({
      operation: "CreateAccountAssignment",
      kind: "access-denied",
      detail: "AccessDeniedException: not allowed",
      retryable: false,
      service: "Identity Center",
    });
  });

  it("turns a final answer to a status poll into a read failure that claims nothing about the assignment", () => {
    const failed = translate("DescribeAccountAssignmentCreationStatus", DOCUMENTED.AccessDeniedException());

    expect(failed).toBeInstanceOf(IdentityCenterRequestFailed);
    expect(failed).not.toBeInstanceOf(AssignmentRefused);
    expect(failed.retryable).toBe(false);
  });

  it("turns a retryable error that reached it into a retryable RetriesExhausted", () => {
    const exhausted = translate("ListAccountAssignments", DOCUMENTED.ThrottlingException());

    expect(exhausted).toBeInstanceOf(RetriesExhausted);
    expect(exhausted.retryable).toBe(true);
  });
});
