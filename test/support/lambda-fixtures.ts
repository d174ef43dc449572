import { randomBytes } from "node:crypto";
import type { SignedRequest } from "./slack.js";

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
