import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { PEOPLE } from "../../test/support/app-harness.js";
import { blockActionPayload, signedBlockAction } from "../../test/support/slack.js";
import type { ServedBot } from "./served.js";
import { slashRequest, timedDelivery, until } from "./slack.js";
import type { BenchUser } from "./world.js";

export interface ApprovalSamples {
  /** Click sent -> CreateAccountAssignment received by the simulator. */
  toCreate: number[];
  /** Click sent -> the requester's "granted" DM posted (creation polled to SUCCEEDED, grant active), for context. */
  toActive: number[];
  /** Grants that did not reach CreateAccountAssignment or activation within the wait. */
  lost: number;
}

/** One pending request per user (no overlap), approved one at a time so the 20 calls/s limit never queues a click. */
export async function measureApprovals(
  stack: ServedBot,
  users: BenchUser[],
  options: { spacingMs: number },
): Promise<ApprovalSamples> {
  const pending: Array<{ user: BenchUser; grantId: string }> = [];
  for (const user of users) {
    const id = `req-${user.slackId}`;
    await timedDelivery(
      stack.url,
      slashRequest(
        stack.secret,
        user.slackId,
        "prod ReadOnly 1h approval bench",
        stack.slack.responseUrl(id),
      ),
    );
    await until(() => stack.slack.responsesTo(id).length > 0, 5_000);
    const [grant] = await stack.store.byRequester(user.slackId, 1);
    if (grant?.status === "pending" && grant.message) pending.push({ user, grantId: grant.id });
  }
  const samples: ApprovalSamples = { toCreate: [], toActive: [], lost: users.length - pending.length };
  for (const { user, grantId } of pending) {
    const payload = blockActionPayload({
      actionId: ACTIONS.approve,
      value: grantId,
      userId: PEOPLE.admin.slackId,
      responseUrl: stack.slack.responseUrl(`click-${grantId}`),
    });
    const request = signedBlockAction(stack.secret, payload);
    const dm = `D${user.slackId.slice(1)}`;
    const dmsBefore = stack.slack.messagesIn(dm).length;
    const sentAt = Date.now();
    await timedDelivery(stack.url, request);
    let createdAt: number | undefined;
    await until(() => {
      createdAt = stack.sim
        .calls()
        .find(
          (call) =>
            call.operation === "CreateAccountAssignment" &&
            (call.input as { PrincipalId?: string }).PrincipalId === user.userId,
        )?.at;
      return createdAt !== undefined;
    }, 10_000);
    const told = await until(() => stack.slack.messagesIn(dm).length > dmsBefore, 10_000);
    const toldAt = Date.now();
    const active = (await stack.store.get(grantId))?.status === "active";
    if (createdAt === undefined || !told || !active) samples.lost++;
    else {
      samples.toCreate.push(createdAt - sentAt);
      samples.toActive.push(toldAt - sentAt);
    }
    const rest = sentAt + options.spacingMs - Date.now();
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  return samples;
}
