import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { FakeTelegram } from "./fake-telegram.js";

/**
 * A Bot-API-compatible HTTP server on loopback, for running the real entry point
 * (TELEGRAM_API_ROOT). Updates queued with `push` are served to getUpdates.
 */
export class LoopbackBotApi {
  readonly telegram = new FakeTelegram();
  private readonly server: Server;
  private readonly pending: Update[] = [];
  private updateId = 1;

  constructor() {
    this.server = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk) => (raw += chunk));
      request.on("end", async () => {
        const method = (request.url ?? "").split("/").pop()!;
        const payload = raw ? JSON.parse(raw) : {};
        const result =
          method === "getUpdates"
            ? { status: 200, body: { ok: true, result: await this.updatesAfter(payload.offset ?? 0) } }
            : this.telegram.answer(method, payload);
        response.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result.body));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  push(update: Omit<Update, "update_id">): void {
    this.pending.push({ update_id: this.updateId++, ...update } as Update);
  }

  /** A short long-poll: waits up to 200 ms for updates so that shutdown is quick. */
  private async updatesAfter(offset: number): Promise<Update[]> {
    for (let waited = 0; waited < 200; waited += 20) {
      const ready = this.pending.filter((update) => update.update_id >= offset);
      if (ready.length > 0) return ready;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
