import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/** The unit tests alone, without the global setup that starts DynamoDB Local: the inner loop, in seconds. */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["test/unit/**/*.test.ts"], globalSetup: [] },
});
