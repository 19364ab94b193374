/**
 * `npm run demo`: Hamroh without Telegram. The real bot runs against the sandbox's local Bot API
 * server on 127.0.0.1, with a fresh SQLite file in data/demo/; the page shows the migrant, the
 * lawyers' group and the admin side by side. No token, no network. Ctrl+C stops it.
 *
 * SANDBOX_PORT chooses the page's port (default 8383; a busy port gives a free one),
 * SANDBOX_TOPICS=1 starts the group with topics, STAFF_LANGUAGE the cards' language (default ru),
 * LOG_LEVEL the bot's log level (default warn), SANDBOX_DATA_DIR another folder for the database.
 */
import { createLogger } from "../src/logger.js";
import { demoRefusal, staffLanguageFrom } from "../src/sandbox/settings.js";
import { projectPath } from "../src/shared/paths.js";

const DEFAULT_PORT = 8383;

async function main(): Promise<void> {
  const refusal = demoRefusal(process.env);
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  const port = Number(process.env.SANDBOX_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`SANDBOX_PORT must be a port number (0 to 65535), not "${process.env.SANDBOX_PORT}".`);
    process.exit(1);
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn", undefined, "pretty");
  process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));
  const options = {
    dataDir: process.env.SANDBOX_DATA_DIR || projectPath("data/demo"),
    forum: process.env.SANDBOX_TOPICS === "1",
    staffLanguage: staffLanguageFrom(process.env),
    logger,
  };
  // Loaded once the settings are fine: a refusal above comes at once.
  const { startDemo } = await import("../src/sandbox/demo.js");
  const demo = await startDemo({ ...options, port }).catch(async (error: unknown) => {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    console.warn(`Port ${port} is in use: the sandbox takes a free one.`);
    return startDemo({ ...options, port: 0 });
  });
  console.log(`Hamroh sandbox: ${demo.url}`);
  console.log(
    `  ready in ${(process.uptime()).toFixed(1)} s · the bot runs against a local Bot API; nothing reaches Telegram · data in data/demo/ · Ctrl+C stops it`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await demo.stop();
    console.log("Hamroh sandbox stopped.");
    process.exit(0);
  };
  // Run as `node --import tsx`, not through the tsx CLI: under load the CLI kills its child (SIGKILL)
  // when it does not confirm a relayed Ctrl+C within 60 ms, and the sandbox could not stop cleanly.
  // A second Ctrl+C while stopping changes nothing.
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
