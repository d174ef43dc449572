import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium, type Locator, type Page } from "playwright-core";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { loadConfig } from "../../src/config/load.js";
import { type RunningSandbox, startSandbox } from "../../src/entrypoints/sandbox.js";
import { localDynamo } from "./dynamodb-local.js";
import { recordingLogger } from "./ic.js";

const ROOT = join(import.meta.dirname, "..", "..");
/** Screenshots of every browser test land here (gitignored). */
export const SHOTS = join(ROOT, "test-output", "browser");
/** The README's picture of the page, rewritten when UPDATE_SCREENSHOT=1 (npm run screenshot). */
export const README_SHOT = join(ROOT, "docs", "sandbox.png");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The channel where the example config asks prod approvers. */
export const PROD_ADMIN = "C0PRODADMIN";

/** The sandbox on a fresh DynamoDB Local table and one headless Chromium looking at its page. */
export class WorkspaceUnderTest {
  /** Dialogs the page opened (alert, confirm): a hostile reason must never open one. */
  readonly dialogs: string[] = [];
  /** What the bot logged: warnings and errors show why a step failed. */
  readonly log = recordingLogger();
  private opened: { sandbox: RunningSandbox; page: Page } | undefined;
  private readonly cleanup: Array<() => Promise<void> | void> = [];

  get sandbox(): RunningSandbox {
    return this.running().sandbox;
  }

  get page(): Page {
    return this.running().page;
  }

  /** Starts the sandbox on a fresh table at `dynamoEndpoint` and opens its page in Chromium. */
  async start(dynamoEndpoint: string): Promise<void> {
    const { cleanup, log } = this;
    const dynamo = localDynamo(dynamoEndpoint);
    cleanup.push(() => dynamo.destroy());
    const table = `workspace-${randomBytes(4).toString("hex")}`;
    await createGrantsTable(dynamo, table);
    const config = await loadConfig(join(ROOT, "access.example.yml"));
    const sandbox = await startSandbox({ config, store: new DynamoGrantStore(dynamo, table), port: 0, log });
    cleanup.push(() => sandbox.stop());
    const profile = mkdtempSync(join(tmpdir(), "workspace-chromium-"));
    cleanup.push(() => rmSync(profile, { recursive: true, force: true }));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 860 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    cleanup.push(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
    this.opened = { sandbox, page };
    page.on("dialog", (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(sandbox.pageUrl);
    await this.ready();
  }

  async stop(): Promise<void> {
    for (const step of this.cleanup.splice(0).reverse()) await step();
  }

  private running() {
    if (!this.opened) throw new Error("the workspace is not started");
    return this.opened;
  }

  private async ready(): Promise<void> {
    await this.page.locator("body[data-ready='true']").waitFor();
  }

  /** Switches the page to another person, by short name. */
  async actAs(name: string): Promise<void> {
    const person = this.sandbox.people.find((p) => p.name === name);
    if (!person) throw new Error(`no sandbox person ${name}`);
    await this.page.selectOption("#user", person.slackId);
    await this.page.locator(`body[data-user='${person.slackId}'][data-ready='true']`).waitFor();
  }

  /** Opens a channel by id, or the app (its Messages or Home tab). */
  async open(conversation: string, tab?: "home" | "messages"): Promise<void> {
    const user = (await this.page.getAttribute("body", "data-user")) ?? "";
    const id = conversation === "app" ? `D${user.slice(1)}` : conversation;
    await this.page.click(`#channels button[data-conv='${id}'], #apps button[data-conv='${id}']`);
    if (tab) await this.page.click(`#tabs button[data-tab='${tab}']`);
  }

  /** Types a line in the composer and sends it. */
  async type(line: string): Promise<void> {
    await this.page.fill("#composer-text", line);
    await this.page.press("#composer-text", "Enter");
  }

  /** The open modal's field with this label. */
  field(label: string): Locator {
    return this.page
      .locator("#modal-root .bk-input", { has: this.page.locator(".bk-label", { hasText: label }) })
      .locator("[data-el]")
      .first();
  }

  /** Fills a modal field: types into a text input, or picks option values in a (multi) select. */
  async fill(label: string, value: string): Promise<void> {
    const field = this.field(label);
    const tag = await field.evaluate((el) => el.tagName);
    if (tag === "SELECT") await field.selectOption(value.split(","));
    else await field.fill(value);
  }

  /** The message in the open conversation whose text contains `text`. */
  message(text: string | RegExp): Locator {
    return this.page.locator(".conv:not([hidden]) article.msg", { hasText: text }).last();
  }

  /** Clicks a button, and confirms Slack's dialog when the button asks for one. */
  async clickAndConfirm(button: Locator): Promise<void> {
    await button.click();
    if (await this.page.locator("#confirm-root:not([hidden])").count()) {
      await this.page.click("#confirm-root [data-confirm='confirm']");
    }
  }

  /** A USER or GROUP assignment row in the Identity Center panel. */
  assignment(principal: string, permissionSet: string): Locator {
    return this.page.locator(
      `#panel li.assignment[data-principal='${principal}'][data-permission-set='${permissionSet}']`,
    );
  }

  /** The grant's row in the panel's grants table. */
  grantRow(grantId: string): Locator {
    return this.page.locator(`#panel tr.grant[data-grant='${grantId}']`);
  }

  /** Saves a screenshot under test-output/browser/, and to docs/ too when asked to. */
  async shot(name: string, options: { readme?: boolean } = {}): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`) });
    if (options.readme && process.env.UPDATE_SCREENSHOT === "1") {
      mkdirSync(dirname(README_SHOT), { recursive: true });
      await this.page.screenshot({ path: README_SHOT });
    }
  }
}

/** The id of the newest grant in the panel's grants table. */
export async function newestGrantId(page: Page): Promise<string> {
  const row = page.locator("#panel tr.grant").first();
  await row.waitFor();
  return (await row.getAttribute("data-grant")) ?? "";
}
