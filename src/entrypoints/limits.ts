/** This instance's share of Identity Center's quotas, as the stack computed it from the functions' concurrency. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  requestsPerSecond?: number;
  maxOutstandingCreations?: number;
} {
  const rps = Number(env.IC_REQUESTS_PER_SECOND);
  const outstanding = Number(env.IC_MAX_OUTSTANDING);
  return {
    ...(rps > 0 ? { requestsPerSecond: rps } : {}),
    ...(outstanding > 0 ? { maxOutstandingCreations: outstanding } : {}),
  };
}
