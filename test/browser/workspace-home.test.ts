import { describe, expect, it } from "vitest";
import { startedForFile } from "../support/hooks.js";
import { newestGrantId, PROD_ADMIN, WorkspaceUnderTest } from "../support/workspace.js";

const ws = startedForFile(new WorkspaceUnderTest());
let grantId = "";

/** The Home tab's entry for a grant: its section and the actions block under it. */
function homeButton(actionId: string) {
  return ws.page.locator(`#home button[data-action-id='${actionId}'][data-value^='${grantId}']`);
}

// One request followed on the Home tabs of its approver and its requester.
describe("the App Home tab in a browser", { timeout: 60_000 }, () => {
  it("shows an approver the request waiting for them, with Approve and Deny", async () => {
    await ws.open("C0GENERAL");
    await ws.type("/aws-access prod ReadOnly 1h checking the home tab");
    await ws.open(PROD_ADMIN);
    await ws.message("Access request").locator("button[data-action-id='grant_approve']").waitFor();
    grantId = await newestGrantId(ws.page);

    await ws.actAs("admin");
    await ws.open("app", "home");
    await ws.page.locator("#home", { hasText: "Waiting for you" }).waitFor();
    await homeButton("grant_approve").waitFor();
    expect(await homeButton("grant_deny").count()).toBe(1);
    expect(await ws.page.locator("#home", { hasText: "checking the home tab" }).count()).toBe(1);
    await ws.shot("home-approver-waiting");
  });

  it("approves from the Home tab: the channel message and both Home tabs change", async () => {
    await ws.clickAndConfirm(homeButton("grant_approve"));
    await ws.grantRow(grantId).locator(".status", { hasText: "active" }).waitFor();
    await homeButton("grant_revoke").waitFor();
    expect(await homeButton("grant_approve").count()).toBe(0);
    await ws.page.locator("#home", { hasText: "Active grants you may end" }).waitFor();
    await ws.shot("home-approver-after");

    await ws.open(PROD_ADMIN);
    const message = ws.message(grantId);
    await message.getByText("Active until").waitFor();
    expect(await message.locator("button[data-action-id='grant_approve']").count()).toBe(0);
    expect(await message.locator("button[data-action-id='grant_revoke']").count()).toBe(1);
  });

  it("shows the requester their open grant with Revoke and Extend", async () => {
    await ws.actAs("dev");
    await ws.open("app", "home");
    await homeButton("grant_revoke").waitFor();
    await homeButton("grant_extend").waitFor();
    expect(await ws.page.locator("#home", { hasText: "Your access" }).count()).toBe(1);
    expect(await ws.page.locator("#home", { hasText: /active until/ }).count()).toBe(1);
    await ws.shot("home-requester");
  });
});
