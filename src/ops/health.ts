import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { BotApiMonitor, BotApiStatus } from "../telegram/bot-api-monitor.js";

/** What GET /healthz answers: whether the database and the last Bot API call were fine. No personal data. */
export interface HealthReport {
  ok: boolean;
  database: { ok: boolean; problem?: string };
  botApi: BotApiStatus & { ok: boolean };
  uptimeSeconds: number;
}

/** A database check answers within this, or counts as failed. */
const DATABASE_TIMEOUT_MS = 3000;

/**
 * The health state: the database answers a query now, and the last Bot API call that ended was
 * answered fine (with no problem going on).
 */
export class Health {
  private readonly startedAt = performance.now();

  constructor(
    private readonly deps: {
      /** A trivial query on the bot's own database connection (`SELECT 1`). */
      pingDatabase: () => Promise<unknown>;
      monitor: Pick<BotApiMonitor, "status">;
    },
  ) {}

  async report(): Promise<HealthReport> {
    const database = await this.database();
    const status = this.deps.monitor.status();
    const botApi = { ...status, ok: status.ok === true && status.problem === undefined };
    return { ok: database.ok && botApi.ok, database, botApi, uptimeSeconds: Math.round((performance.now() - this.startedAt) / 1000) };
  }

  private async database(): Promise<HealthReport["database"]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS / 1000} s`)), DATABASE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.deps.pingDatabase(), timeout]);
      return { ok: true };
    } catch (error) {
      // The error's kind only: a database message could quote data.
      return {
        ok: false,
        problem:
          error instanceof Error && error.message.startsWith("no answer") ? error.message : error instanceof Error ? error.name : "error",
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Answers GET (or HEAD) /healthz with the report as JSON: 200 when all is fine, 503 when not.
 * Returns false for any other request (for a server that also answers others).
 */
export function answerHealth(health: Pick<Health, "report">, request: IncomingMessage, response: ServerResponse): boolean {
  const path = (request.url ?? "").split("?")[0];
  if (path !== "/healthz" || (request.method !== "GET" && request.method !== "HEAD")) return false;
  void health.report().then(
    (report) => {
      response.writeHead(report.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(request.method === "HEAD" ? undefined : JSON.stringify(report));
    },
    () => response.writeHead(503, { "content-type": "application/json" }).end('{"ok":false}'),
  );
  return true;
}

/** An HTTP server for GET /healthz alone (HEALTH_PORT); anything else gets 404. */
export async function startHealthServer(
  health: Pick<Health, "report">,
  port: number,
  logger: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (!answerHealth(health, request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  logger.info({ port: bound }, "health check: GET /healthz");
  return {
    port: bound,
    close: async () => {
      const closing = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closing;
    },
  };
}
