import { describe, expect, it } from "vitest";
import { startedForFile } from "../support/hooks.js";
import { newestGrantId, PROD_ADMIN, WorkspaceUnderTest } from "../support/workspace.js";

const ws = startedForFile(new WorkspaceUnderTest());
let grantId = "";

// One grant, followed through its life: each test starts where the one before ended.
describe("the sandbox workspace in a browser: request, approval, access, expiry", { timeout: 60_000 }, () => {
  it("requests access through the form, with the bot's field errors shown on their fields", async () => {
    const { page } = ws;
    await ws.open("C0GENERAL");
    await ws.type("/aws-access");
    await page.locator("#modal-root .modal-title", { hasText: "Request AWS access" }).waitFor();
    await ws.fill("Account", "prod");
    await ws.fill("Permission set", "ReadOnly");
    await ws.fill("Duration", "4x");
    await ws.fill("Reason", "checking a deploy");
    await page.click("#modal-root button[type='submit']");
    const error = page.locator("#modal-root .bk-input.has-error .bk-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/4x/);
    expect(await ws.field("Reason").inputValue()).toBe("checking a deploy");

    await ws.fill("Duration", "1h");
    await page.click("#modal-root button[type='submit']");
    await page.locator("#modal-root .modal-title", { hasText: "Request sent" }).waitFor();
    await ws.shot("request-form-sent");
    await page.click("#modal-root [data-modal='close']");
    await page.locator("#modal-root").waitFor({ state: "hidden" });

    await ws.open(PROD_ADMIN);
    const request = ws.message("Access request");
    await request.locator("button[data-action-id='grant_approve']").waitFor();
    expect(await request.textContent()).toContain("checking a deploy");
    grantId = await newestGrantId(page);
    expect(await ws.grantRow(grantId).locator(".status").textContent()).toBe("pending");
  });

  it("refuses a non-approver's click with a message only they see", async () => {
    await ws.actAs("bob");
    await ws.open(PROD_ADMIN);
    await ws.clickAndConfirm(ws.message(grantId).locator("button[data-action-id='grant_approve']"));
    const refusal = ws.page.locator(".conv:not([hidden]) article.ephemeral", { hasText: /approve/i });
    await refusal.waitFor();
    expect(await refusal.locator(".msg-only-you").textContent()).toBe("Only visible to you");
    await ws.shot("non-approver-refused");
    expect(await ws.grantRow(grantId).locator(".status").textContent()).toBe("pending");

    await ws.actAs("admin");
    await ws.open(PROD_ADMIN);
    expect(await ws.page.locator("article.ephemeral", { hasText: /approve/i }).count()).toBe(0);
  });

  it("approves as an approver: the message changes in place and the assignment appears in Identity Center", async () => {
    const { page } = ws;
    expect(await ws.assignment("dev", "ReadOnly").count()).toBe(0);
    await ws.clickAndConfirm(ws.message(grantId).locator("button[data-action-id='grant_approve']"));
    await ws.assignment("dev", "ReadOnly").waitFor();
    expect(await ws.assignment("dev", "ReadOnly").locator(".tag").textContent()).toContain(grantId);
    const updated = ws.message(grantId);
    await updated.locator(".msg-edited").waitFor();
    await updated.getByText("Active until").waitFor();
    expect(await updated.locator("button[data-action-id='grant_approve']").count()).toBe(0);
    expect(await page.locator(`.conv:not([hidden]) article.msg`, { hasText: grantId }).count()).toBe(1);
    expect(
      await ws
        .assignment("Organization Administrators", "AdministratorAccess")
        .first()
        .locator(".tag")
        .textContent(),
    ).toBe("baseline");
    await ws.grantRow(grantId).locator(".status", { hasText: "active" }).waitFor();
    await ws.shot("approved-in-channel", { readme: true });

    await ws.actAs("dev");
    await ws.open("app", "messages");
    await ws.message("You have").waitFor();
    await ws.shot("requester-told");
  });

  it("ends the grant at expiry: the assignment disappears and the requester is told", async () => {
    const { page } = ws;
    await page.click("button[data-skip='next-expiry']");
    await ws.assignment("dev", "ReadOnly").waitFor({ state: "detached" });
    await ws.grantRow(grantId).locator(".status", { hasText: "ended" }).waitFor();
    await ws.message("has expired").waitFor();
    expect(await ws.assignment("Organization Administrators", "AdministratorAccess").count()).toBeGreaterThan(
      0,
    );
    await ws.shot("expired-and-removed");
  });
});
