import { expect, it } from "vitest";
import { receiveByWebhook } from "../src/telegram/updates.js";
import { freePort } from "./helpers/entry-point.js";
import { startMessage } from "./helpers/fake-telegram.js";
import { useHarness } from "./helpers/harness.js";

const h = useHarness();

it("webhook: a request with the right secret but a malformed body is answered 4xx and logged; the bot goes on answering", async () => {
  const lines: string[] = [];
  await h.recreate({ logLines: lines });
  const port = await freePort();
  const secret = "a-very-secret-token-123";
  const source = await receiveByWebhook(h.bot, { url: "https://bot.example.org/telegram", secret }, port, h.services.logger);
  const post = (body: string, headers: Record<string, string> = { "X-Telegram-Bot-Api-Secret-Token": secret }) =>
    fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  try {
    expect((await post("{}", {})).status).toBe(401);
    expect((await post("not json at all")).status).toBe(400);
    expect((await post("null")).status).toBe(400);
    expect((await post('{"update_id":"x"}')).status).toBe(400);
    expect((await post(JSON.stringify({ update_id: 1, padding: "x".repeat(1024 * 1024) }))).status).toBe(413);
    // A real update still works after all that.
    const update = { update_id: 2, ...startMessage(88) };
    expect((await post(JSON.stringify(update))).status).toBe(200);
    expect(h.telegram.screensIn(88)).toHaveLength(1);
    expect(lines.filter((line) => line.includes("webhook request refused"))).toHaveLength(4);
  } finally {
    await source.stop();
  }
});
