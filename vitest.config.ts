import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time: most tests wait on child processes, DynamoDB Local and timers, not on the CPU.
    maxWorkers: 2,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Used only with --coverage (`npm run test:coverage`): the source files, as a summary and an HTML report.
    coverage: { provider: "v8", include: ["src/**/*.ts"], reporter: ["text-summary", "html"] },
    // The SDK's notice that its 2027 releases need Node 22 is for operators, not for every test run.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
