import { randomBytes } from "node:crypto";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { ADMIN, MANAGEMENT, PROD, READ_ONLY, STAGING } from "./app-harness.js";
import type { SignedRequest } from "./slack.js";

/** The example access.yml, pointed at the simulator's instance and the seeded accounts and permission sets. */
export const LAMBDA_CONFIG_YAML = `
identityCenter:
  instanceArn: ${DEFAULT_INSTANCE.instanceArn}
  identityStoreId: ${DEFAULT_INSTANCE.identityStoreId}
  portalUrl: https://acme.awsapps.com/start
  managementAccountId: "${MANAGEMENT}"
slack:
  approvalChannel: C0APPROVALS
  auditChannel: C0AUDIT
defaults:
  duration: 1h
  minDuration: 15m
  requestTimeout: 2h
  reminderBefore: 10m
accounts:
  prod: { id: "${PROD}", name: Production }
  staging: { id: "${STAGING}" }
  root: { id: "${MANAGEMENT}" }
permissionSets:
  ReadOnly: ${READ_ONLY}
  AdministratorAccess: ${ADMIN}
rules:
  - name: staging-self-service
    accounts: [staging]
    permissionSets: [ReadOnly]
    requesters: { groups: [Engineers] }
    autoApprove: true
    maxDuration: 8h
  - name: prod-admin
    accounts: [prod]
    permissionSets: [AdministratorAccess, ReadOnly]
    approvers: { groups: [Organization Administrators], emails: [security-lead@example.com] }
    maxDuration: 4h
    channel: C0PRODADMIN
  - name: anything
    accounts: ["*"]
    permissionSets: ["*"]
    approvers: { groups: [Organization Administrators], emails: [security-lead@example.com] }
    maxDuration: 4h
`;

/** A Lambda Function URL event (payload format 2.0) carrying a signed Slack request. */
export function functionUrlEvent(request: SignedRequest, options: { base64?: boolean } = {}) {
  const headers: Record<string, string> = {
    host: "abcdefgh.lambda-url.us-east-1.on.aws",
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    "x-forwarded-proto": "https",
  };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/slack/events",
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: "anonymous",
      apiId: "abcdefgh",
      domainName: headers.host,
      http: {
        method: "POST",
        path: "/slack/events",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: headers["user-agent"],
      },
      requestId: randomBytes(8).toString("hex"),
      routeKey: "$default",
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: options.base64 ? Buffer.from(request.body, "utf8").toString("base64") : request.body,
    isBase64Encoded: options.base64 === true,
  };
}
