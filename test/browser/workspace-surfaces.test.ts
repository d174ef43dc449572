import { describe, expect, it } from "vitest";
import { startedForFile } from "../support/hooks.js";
import { newestGrantId, PROD_ADMIN, WorkspaceUnderTest } from "../support/workspace.js";

const HOSTILE = "<script>alert(1)</script> <!channel> <@U0ADMIN> &amp;";

const ws = startedForFile(new WorkspaceUnderTest());

/** Posts as the bot would, through the fake Slack's Web API methods. */
function botCalls(method: string, args: Record<string, unknown>) {
  const answer = ws.sandbox.fake.records.answer(method, args, "");
  expect(answer.body.ok).toBe(true);
  return answer.body;
}

describe("the sandbox workspace in a browser: denials, hostile text and Slack's surfaces", {
  timeout: 60_000,
}, () => {
  it("shows a hostile reason literally: no markup, no script, no mention", async () => {
    const { page } = ws;
    await ws.open("C0GENERAL");
    await ws.type(`/aws-access prod ReadOnly 1h ${HOSTILE}`);
    await ws.open(PROD_ADMIN);
    const request = ws.message("Access request");
    await request.locator("button[data-action-id='grant_approve']").waitFor();
    const reason = request.locator("blockquote");
    expect(await reason.textContent()).toBe(HOSTILE);
    expect(await page.locator("#messages script, #panel script").count()).toBe(0);
    expect(await request.locator(".mention.broadcast").count()).toBe(0);
    expect(await request.locator(".mention").allTextContents()).toEqual(["@dev"]);
    expect(ws.dialogs).toEqual([]);
    await ws.shot("hostile-reason-literal");
  });

  it("denies with a reason: the modal reports it, the message says so, the requester reads the reason", async () => {
    const { page } = ws;
    const grantId = await newestGrantId(page);
    await ws.actAs("admin");
    await ws.open(PROD_ADMIN);
    await ws.clickAndConfirm(ws.message(grantId).locator("button[data-action-id='grant_deny']"));
    await page.locator("#modal-root .modal-title", { hasText: "Deny request" }).waitFor();
    await ws.fill("Reason", "not during the freeze <!here>");
    await page.click("#modal-root button[type='submit']");
    await page.locator("#modal-root .modal-title", { hasText: "Request denied" }).waitFor();
    await ws.shot("deny-modal-done");
    await page.click("#modal-root [data-modal='close']");
    const denied = ws.message(grantId);
    await denied.getByText("Denied: not during the freeze <!here>").waitFor();
    expect(await denied.locator("button[data-action-id='grant_approve']").count()).toBe(0);
    await ws.grantRow(grantId).locator(".status", { hasText: "denied" }).waitFor();

    await ws.actAs("dev");
    await ws.open("app", "messages");
    const notice = ws.message("was denied");
    await notice.getByText("not during the freeze <!here>").waitFor();
    expect(await notice.locator(".mention.broadcast").count()).toBe(0);
    expect(await ws.assignment("dev", "ReadOnly").count()).toBe(0);
    await ws.shot("deny-requester-told");
  });

  it("shows the App Home tab the bot publishes when it is opened, then a view published later", async () => {
    const { page } = ws;
    await ws.open("app", "home");
    await page.locator("#home .bk-header", { hasText: "AWS access" }).waitFor();
    // Published on opening, after the denial: later notices of that change do not publish it again.
    await page.locator("#home", { hasText: "You have no open grants" }).waitFor();
    await ws.shot("home-opened");

    botCalls("views.publish", {
      user_id: "U0DEV",
      view: {
        type: "home",
        blocks: [
          { type: "header", text: { type: "plain_text", text: "Your access" } },
          { type: "section", text: { type: "mrkdwn", text: "*No open grants* &lt;yet&gt;" } },
          { type: "divider" },
          {
            type: "actions",
            elements: [
              { type: "button", action_id: "home_refresh", text: { type: "plain_text", text: "Refresh" } },
            ],
          },
        ],
      },
    });
    await page.locator("#home .bk-header", { hasText: "Your access" }).waitFor();
    expect(await page.locator("#home .bk-text b").textContent()).toBe("No open grants");
    expect(await page.locator("#home .bk-text").textContent()).toBe("No open grants <yet>");
    await ws.shot("home-published");
  });

  it("nests threaded replies, keeps ephemerals to their user and asks a button's confirm dialog first", async () => {
    const { page } = ws;
    const parent = botCalls("chat.postMessage", {
      channel: "C0APPROVALS",
      text: "fallback",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "A request in a thread" } },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "thread_button",
              text: { type: "plain_text", text: "Revoke" },
              confirm: {
                title: { type: "plain_text", text: "Revoke access?" },
                text: { type: "mrkdwn", text: "Ends it *now*." },
                confirm: { type: "plain_text", text: "Revoke" },
                deny: { type: "plain_text", text: "Keep it" },
              },
            },
          ],
        },
      ],
    });
    botCalls("chat.postMessage", {
      channel: "C0APPROVALS",
      thread_ts: parent.ts,
      text: "Reminder for <@U0ADMIN>",
    });
    botCalls("chat.postEphemeral", { channel: "C0APPROVALS", user: "U0ADMIN", text: "Only for admin" });
    await ws.open("C0APPROVALS");
    const thread = ws.message("A request in a thread");
    await thread.locator(".replies article", { hasText: "Reminder for @admin" }).waitFor();
    expect(await page.getByText("Only for admin").count()).toBe(0);

    await thread.locator("button[data-action-id='thread_button']").click();
    const dialog = page.locator("#confirm-root:not([hidden])");
    await dialog.getByText("Ends it now.").waitFor();
    await ws.shot("confirm-dialog");
    await dialog.locator("[data-confirm='deny']").click();
    await page.locator("#confirm-root").waitFor({ state: "hidden" });

    await ws.actAs("admin");
    await ws.open("C0APPROVALS");
    await ws.message("Only for admin").locator(".msg-only-you").waitFor();
  });
});
