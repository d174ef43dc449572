import { startBareBolt } from "./slack.js";

// Entry point of the reference app's own process: BARE_SECRET signs, BARE_PORT is listened on.

const bare = await startBareBolt(process.env.BARE_SECRET ?? "", Number(process.env.BARE_PORT ?? 0));
process.stdout.write(`listening ${bare.url}\n`);
process.once("SIGTERM", () => {
  void bare.stop().finally(() => process.exit(0));
});
