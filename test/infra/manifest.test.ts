import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Manifest {
  display_information: { name: string };
  features: {
    slash_commands: { command: string; url: string; usage_hint: string }[];
    app_home: Record<string, boolean>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string; bot_events: string[] };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync("manifest.yml", "utf8")) as Manifest;
const REQUEST_URL = "https://EXAMPLE.lambda-url.REGION.on.aws/slack/events";

describe("Slack app manifest", () => {
  it("asks for exactly the bot scopes the bot uses", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ["chat:write", "commands", "im:write", "users:read", "users:read.email"].sort(),
    );
  });

  it("declares /aws-access with a usage hint and interactivity at the placeholder request URL", () => {
    expect(manifest.display_information.name).toBe("aws-access");
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({
        command: "/aws-access",
        url: REQUEST_URL,
        usage_hint: expect.stringContaining("<account>"),
      }),
    ]);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true, request_url: REQUEST_URL });
  });

  it("enables the Home tab and a read-only Messages tab, and subscribes to app_home_opened at the request URL", () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: REQUEST_URL,
      bot_events: ["app_home_opened"],
    });
  });

  it("uses request URLs rather than Socket Mode", () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
