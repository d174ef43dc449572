import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BROKEN_CONFIG = join(ROOT, "test", "fixtures", "sandbox", "broken-duration.yml");
/** Generous: the CLI compiles on the fly and starts DynamoDB Local; this guards against hangs only. */
const WAIT_MS = 90_000;

interface Cli {
  send(line: string): void;
  /** Resolves with the first match of `pattern` in stdout, once it appears. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const running: ChildProcess[] = [];

/** The CLI as a user runs it, with no Slack credentials in its environment. */
function startCli(command: string, env: Record<string, string>): Cli {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SLACK_")));
  const child = spawn("npx", ["tsx", "src/entrypoints/cli.ts", command], {
    cwd: ROOT,
    env: { ...clean, PORT: "0", ...env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  running.push(child);
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
    for (const check of waiters) check();
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once("exit", (code) => {
      for (const check of waiters) check();
      resolve({ code, stdout, stderr });
    });
  });
  return {
    send: (line) => child.stdin?.write(`${line}\n`),
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in the output:\n${stdout}\n${stderr}`));
        }, WAIT_MS);
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(match);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`exited before ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

afterEach(() => {
  for (const child of running.splice(0)) {
    // The whole group started for this test: npx, tsx, node and DynamoDB Local.
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }
});

describe("sandbox", { timeout: 180_000 }, () => {
  it("runs a request, its approval and the new assignment through the real bot from the terminal", async () => {
    const cli = startCli("sandbox", { ACCESS_CONFIG: join(ROOT, "no-such-access.yml") });
    await cli.waitFor(/Type help/);
    cli.send("prod ReadOnly 1h sandbox test");
    const [, grantId] = await cli.waitFor(/#C0PRODADMIN\n {2}🔑 Access request `(\w+)` from @dev/);
    cli.send("as admin");
    cli.send(`approve ${grantId}`);
    await cli.waitFor(/DM @dev\n {2}✅ You have ReadOnly on Production/);
    cli.send("assignments");
    cli.send("quit");
    const { code, stdout } = await cli.exited;

    expect(code).toBe(0);
    expect(stdout).toContain("Config: access.example.yml");
    expect(stdout).toMatch(/Waiting for approval: 0 of 1 approval.*\n {2}\[Approve\] \[Deny\]/);
    expect(stdout).toContain(`(@admin clicks [Approve] on \`${grantId}\`)`);
    expect(stdout).toMatch(/Active until .*\n {2}\[Revoke\]\n {2}Approved by @admin/);
    expect(stdout).toMatch(/USER +dev +prod \(222222222222\) +ReadOnly/);
    expect(stdout).toMatch(/GROUP +Organization Administrators +prod \(222222222222\) +AdministratorAccess/);
    expect(stdout).toContain("Stopping the sandbox");
  });

  it("starts the sandbox from serve when there are no Slack credentials", async () => {
    const cli = startCli("serve", { ACCESS_CONFIG: join(ROOT, "no-such-access.yml") });
    await cli.waitFor(/Type help/);
    cli.send("quit");
    const { code, stdout } = await cli.exited;

    expect(code).toBe(0);
    expect(stdout).toContain("No Slack credentials");
    expect(stdout).toContain("aws-access sandbox");
  });

  it("refuses a broken config with the path of the problem and no stack trace", async () => {
    const cli = startCli("serve", { ACCESS_CONFIG: BROKEN_CONFIG });
    cli.send("quit");
    const { code, stdout, stderr } = await cli.exited;

    expect(code).not.toBe(0);
    expect(stderr).toContain("rules[0].maxDuration: '4x' is not a duration");
    expect(stderr).not.toMatch(/^ {4}at /m);
    expect(stdout).not.toContain("aws-access sandbox");
  });
});
