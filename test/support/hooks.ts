import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import type { RunningSimulator } from "./ic.js";

/**
 * The simulator of the test that runs: `start` gives each test of the file a fresh one, closed after the test.
 * Its fields are read when used, so module-level helpers and the tests see the running test's simulator.
 */
export function simulatorForEachTest(start: () => Promise<RunningSimulator>): RunningSimulator {
  let current: RunningSimulator | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const running = (): RunningSimulator => {
    if (!current) throw new Error("the simulator runs only while a test does");
    return current;
  };
  return {
    get sim() {
      return running().sim;
    },
    get endpoint() {
      return running().endpoint;
    },
    get ssoAdmin() {
      return running().ssoAdmin;
    },
    get identityStore() {
      return running().identityStore;
    },
    close: () => running().close(),
  };
}

/** Something a file's tests share, started on the run's DynamoDB Local. */
export interface Startable {
  start(dynamoEndpoint: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `stack` before the file's first test (or describe block's) and stops it after the last; returns it. */
export function startedForFile<T extends Startable>(stack: T): T {
  beforeAll(() => stack.start(inject("dynamoEndpoint")), 60_000);
  afterAll(() => stack.stop());
  return stack;
}
