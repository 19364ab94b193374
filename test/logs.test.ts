import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { BOT_TOKEN } from "./helpers/fake-telegram.js";

const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ BOT_TOKEN, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("logs for people (LOG_FORMAT) and the health port (HEALTH_PORT)", () => {
  it("JSON lines by default; LOG_FORMAT=pretty prints readable lines, errors still redacted", () => {
    expect(loadConfig({ BOT_TOKEN }).logFormat).toBe("json");
    const json: string[] = [];
    createLogger("info", { write: (line) => void json.push(line) }).info({ bot: "hamroh_test_bot" }, "Hamroh is running");
    expect(JSON.parse(json[0]!)).toMatchObject({ level: 30, app: "hamroh", bot: "hamroh_test_bot", msg: "Hamroh is running" });

    expect(loadConfig({ BOT_TOKEN, LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    const pretty: string[] = [];
    const logger = createLogger("info", { write: (line) => void pretty.push(line) }, "pretty");
    logger.info({ bot: "hamroh_test_bot" }, "Hamroh is running");
    logger.warn({ err: new Error("chat 1234567890 not found") }, "could not tell an admin");
    expect(pretty[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] INFO: Hamroh is running\n {4}bot: "hamroh_test_bot"\n$/);
    expect(pretty[1]).toMatch(/^\[[^\]]+\] WARN: could not tell an admin\n/);
    expect(pretty[1]).toContain('"message": "chat [number] not found"');
    expect(pretty.join("")).not.toContain("1234567890");
  });

  it("wrong values are named with the fix", () => {
    expect(problems({ LOG_FORMAT: "fancy" })).toEqual([
      'LOG_FORMAT must be "json" (the default: one JSON object a line) or "pretty" (readable lines).',
    ]);
    expect(problems({ HEALTH_PORT: "health" })).toEqual([
      "HEALTH_PORT must be a port number (1 to 65535) where GET /healthz is answered, or left out.",
    ]);
    expect(loadConfig({ BOT_TOKEN, HEALTH_PORT: "8081" }).healthPort).toBe(8081);
    expect(loadConfig({ BOT_TOKEN }).healthPort).toBeUndefined();
    const webhook = {
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/telegram",
      WEBHOOK_SECRET: "a-very-secret-token-123",
      PORT: "8080",
    };
    expect(problems({ ...webhook, HEALTH_PORT: "8080" })).toEqual(["HEALTH_PORT must differ from PORT, where the webhook server listens."]);
  });
});
