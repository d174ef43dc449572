import { describe, expect, it } from "vitest";
import { PEOPLE, waitFor } from "../support/e2e.js";
import { startedForFile } from "../support/hooks.js";
import { ServeRig } from "../support/serve-rig.js";

const { dev, admin } = PEOPLE;

/** The real `serve` command in its own process, killed with SIGKILL and started again. */
describe("a server killed mid-grant", () => {
  const rig = startedForFile(new ServeRig("restart"));
  const { sim } = rig;

  it("still revokes on time after a restart, and not before expiry", async () => {
    const first = await rig.serve();
    expect((await rig.slash(dev, "prod ReadOnly 1m restart test")).status).toBe(200);
    const pending = await waitFor("the request", async () => (await rig.store.byRequester(dev.slackId))[0]);
    expect((await rig.click(admin, "approve", pending.id)).status).toBe(200);
    const active = await waitFor("activation", async () => {
      const grant = await rig.store.get(pending.id);
      return grant?.status === "active" ? grant : undefined;
    });

    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await rig.store.get(pending.id))?.status).toBe("active");
    await rig.serve();

    const ended = await waitFor(
      "revocation after the restart",
      async () => {
        const grant = await rig.store.get(pending.id);
        return grant?.status === "ended" ? grant : undefined;
      },
      90_000,
    );
    const expiresAt = active.expiresAt ?? 0;
    expect(ended.endedAt).toBeGreaterThanOrEqual(expiresAt);
    expect((ended.endedAt ?? 0) - expiresAt).toBeLessThanOrEqual(10_000);
    expect(
      sim.assignments().filter((a) => a.principalType === "USER" && a.principalId === dev.userId),
    ).toEqual([]);
  }, 120_000);
});
