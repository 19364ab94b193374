import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { projectPath } from "../shared/paths.js";
import { SANDBOX_TOKEN } from "./cast.js";
import { ApiError, type Params, readParams } from "./params.js";
import { type MediaKind, type SandboxEvent, SandboxTelegram, type UserInput } from "./telegram.js";

/** Bodies above this are refused unread (a file of 20 MB, with room for the form around it). */
const MAX_BODY_BYTES = 21 * 1024 * 1024;
const HEARTBEAT_MS = 20_000;
const MEDIA_KINDS: MediaKind[] = ["photo", "document", "voice", "audio", "video", "animation"];

export interface SandboxBotApiOptions {
  /** The only token the Bot API part accepts (default SANDBOX_TOKEN); any other gets 401. */
  token?: string;
  /** Whether the staff group starts with topics. */
  forum?: boolean;
  /**
   * Carries out the page's Reset (`"reset"`) or its switch of the group's topics (`"forum"`):
   * the demo stops its bot, lets `change` happen, and starts the bot again. By default `change` just runs.
   */
  around?: (kind: "reset" | "forum", change: () => void) => Promise<void>;
}

/**
 * Hamroh's local Bot API server: on 127.0.0.1 only, it answers the Bot API at
 * `/bot<token>/<method>` (and file downloads at `/file/bot<token>/<path>`) from a
 * SandboxTelegram, and serves the sandbox page with its own endpoints under `/sandbox/`:
 * the state, a stream of changes (Server-Sent Events) and what the people on the page do.
 * Point grammY at it with `client: { apiRoot: url }`.
 */
export class SandboxBotApi {
  readonly telegram: SandboxTelegram;
  private readonly token: string;
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  private origin = "";
  /** Page actions that change the whole sandbox run one at a time. */
  private control: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SandboxBotApiOptions = {}) {
    this.token = options.token ?? SANDBOX_TOKEN;
    this.telegram = new SandboxTelegram({ forum: options.forum });
    this.telegram.subscribe((event) => this.broadcast(event));
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          send(response, 500, {
            ok: false,
            error_code: 500,
            description: `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
          });
        else response.end();
      });
    });
  }

  /** Listens on 127.0.0.1 (never another interface); resolves to the address, e.g. http://127.0.0.1:8383. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) stream.write(": ping\n\n");
    }, HEARTBEAT_MS).unref();
    return this.origin;
  }

  get url(): string {
    return this.origin;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Only the page's own address: another site in the same browser (or a DNS name pointing here) gets nothing.
    if (!this.fromHere(request))
      return send(response, 403, { ok: false, error_code: 403, description: "Forbidden: the sandbox answers only http://127.0.0.1" });
    const url = new URL(request.url ?? "/", this.origin);
    const path = url.pathname;
    const api = /^\/bot([^/]+)\/([A-Za-z0-9_]+)$/.exec(path);
    if (api) return this.botApi(request, response, decodeURIComponent(api[1]!), api[2]!, url.searchParams);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (download) {
      if (decodeURIComponent(download[1]!) !== this.token)
        return send(response, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return this.sendFile(response, this.telegram.fileByPath(decodeURIComponent(download[2]!)));
    }
    if (request.method === "GET" && (path === "/" || path === "/index.html")) return this.page(response);
    if (request.method === "GET" && path === "/page.css") return asset(response, "page.css", "text/css; charset=utf-8");
    if (request.method === "GET" && path === "/favicon.ico") return void response.writeHead(204).end();
    if (path.startsWith("/sandbox/")) return this.pageApi(request, response, path.slice("/sandbox/".length));
    send(response, 404, { ok: false, error_code: 404, description: "Not Found" });
  }

  /** Loopback only, and the page's own origin for requests a browser makes from a page. */
  private fromHere(request: IncomingMessage): boolean {
    const host = request.headers.host ?? "";
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return false;
    const origin = request.headers.origin;
    return origin === undefined || origin === this.origin || origin === this.origin.replace("127.0.0.1", "localhost");
  }

  private async botApi(
    request: IncomingMessage,
    response: ServerResponse,
    token: string,
    method: string,
    query: URLSearchParams,
  ): Promise<void> {
    if (token !== this.token) return send(response, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const body = await readBody(request);
    if (body === undefined) return send(response, 413, { ok: false, error_code: 413, description: "Request Entity Too Large" });
    const aborted = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) aborted.abort();
    });
    try {
      const params = readParams(request.headers["content-type"], body, query);
      const result = await this.telegram.call(method, params, aborted.signal);
      if (!response.destroyed) send(response, 200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!response.destroyed)
        send(response, error.code, {
          ok: false,
          error_code: error.code,
          description: error.description,
          ...(error.parameters ? { parameters: error.parameters } : {}),
        });
    }
  }

  private sendFile(response: ServerResponse, file: { bytes: Buffer; mime_type: string } | undefined): void {
    if (!file) {
      send(response, 404, { ok: false, error_code: 404, description: "Not Found: file not found" });
      return;
    }
    response
      .writeHead(200, {
        "content-type": file.mime_type,
        "content-length": file.bytes.length,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      })
      .end(file.bytes);
  }

  /** The page, with a fresh nonce for its one script: nothing else may run in it (Content-Security-Policy). */
  private page(response: ServerResponse): void {
    const nonce = randomBytes(16).toString("base64");
    const html = readFileSync(projectPath("src/sandbox/page/index.html"), "utf8").replace(
      '<script type="module">',
      `<script type="module" nonce="${nonce}">`,
    );
    response
      .writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "content-security-policy": [
          "default-src 'none'",
          `script-src 'nonce-${nonce}'`,
          "style-src 'self'",
          "img-src 'self' blob:",
          "media-src 'self' blob:",
          "connect-src 'self'",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ].join("; "),
      })
      .end(html);
  }

  private async pageApi(request: IncomingMessage, response: ServerResponse, action: string): Promise<void> {
    const telegram = this.telegram;
    if (request.method === "GET" && action === "state") return send(response, 200, { ok: true, result: telegram.snapshot() });
    if (request.method === "GET" && action === "events") return this.stream(request, response);
    const file = /^files\/([A-Za-z0-9_-]+)$/.exec(action);
    if (request.method === "GET" && file) return this.sendFile(response, telegram.fileById(file[1]!));
    if (request.method !== "POST") return send(response, 405, { ok: false, error_code: 405, description: "Method Not Allowed" });
    const body = await readBody(request);
    if (body === undefined) return send(response, 413, { ok: false, error_code: 413, description: "Request Entity Too Large" });
    try {
      const p = readParams(request.headers["content-type"], body, new URLSearchParams());
      const result = await this.pageAction(action, p);
      send(response, 200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(response, error.code, { ok: false, error_code: error.code, description: error.description });
    }
  }

  private async pageAction(action: string, p: Params): Promise<unknown> {
    const telegram = this.telegram;
    const from = () => p.requiredInteger("from");
    const chatId = () => p.requiredInteger("chat_id");
    switch (action) {
      case "send":
        return telegram.send(from(), chatId(), this.userInput(p));
      case "key":
        return telegram.pressKey(from(), chatId(), p.requiredInteger("row"), p.requiredInteger("column"), p.json("location"));
      case "press":
        return telegram.press(from(), chatId(), p.requiredInteger("message_id"), p.requiredInteger("row"), p.requiredInteger("column"));
      case "edit":
        return telegram.edit(from(), chatId(), p.requiredInteger("message_id"), p.string("text") ?? "", p.json("entities"));
      case "migrants":
        return telegram.newMigrant(p.string("language_code") || undefined);
      case "language":
        telegram.setAppLanguage(p.requiredInteger("user_id"), p.string("language_code") || undefined);
        return true;
      case "block":
        telegram.setBlocked(p.requiredInteger("user_id"), p.boolean("blocked"));
        return true;
      case "forum": {
        const on = p.boolean("on");
        return this.exclusively("forum", () => telegram.setForum(on));
      }
      case "reset":
        return this.exclusively("reset", () => telegram.reset());
      default:
        throw new ApiError(404, "Not Found");
    }
  }

  /** What a person sends: text (with the entities their app made), a contact, a location, or a file uploaded with it. */
  private userInput(p: Params): UserInput {
    const input: UserInput = {
      ...(p.has("text") ? { text: p.string("text") } : {}),
      ...(p.has("entities") ? { entities: p.json("entities") } : {}),
      ...(p.has("caption") ? { caption: p.string("caption") } : {}),
      ...(p.has("contact") ? { contact: p.json("contact") } : {}),
      ...(p.has("location") ? { location: p.json("location") } : {}),
      ...(p.has("reply_to_message_id") ? { reply_to_message_id: p.integer("reply_to_message_id") } : {}),
      ...(p.has("message_thread_id") ? { message_thread_id: p.integer("message_thread_id") } : {}),
    };
    const upload = p.file("file");
    if (upload && "upload" in upload) {
      const kind = p.string("kind") as MediaKind;
      if (!MEDIA_KINDS.includes(kind))
        throw new ApiError(400, "Bad Request: kind must be photo, document, voice, audio, video or animation");
      const meta = { ...numberField(p, "width"), ...numberField(p, "height"), ...numberField(p, "duration") };
      input.file_id = this.telegram.storeFile(kind, upload.upload, meta).file_id;
    }
    return input;
  }

  /** Resets and switches of topics run one at a time, through `around`. */
  private async exclusively(kind: "reset" | "forum", change: () => void): Promise<true> {
    const work = async () => {
      await (this.options.around ?? ((_kind, run: () => void) => Promise.resolve(run())))(kind, change);
      return true as const;
    };
    const run = this.control.then(work, work);
    this.control = run.catch(() => undefined);
    return run;
  }

  /** Server-Sent Events: the whole state first, then every change as it happens. */
  private stream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    response.write(`retry: 1000\nevent: snapshot\ndata: ${JSON.stringify(this.telegram.snapshot())}\n\n`);
    this.streams.add(response);
    request.on("close", () => this.streams.delete(response));
  }

  private broadcast(event: SandboxEvent): void {
    if (this.streams.size === 0) return;
    const { type, ...data } = event;
    const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of this.streams) stream.write(frame);
  }
}

function numberField(p: Params, name: string): Record<string, number> {
  const value = p.integer(name);
  return value === undefined ? {} : { [name]: value };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json), "cache-control": "no-store" })
    .end(json);
}

function asset(response: ServerResponse, name: string, type: string): void {
  response
    .writeHead(200, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" })
    .end(readFileSync(projectPath("src/sandbox/page", name)));
}

/** The body, or undefined when it is larger than MAX_BODY_BYTES (then the rest is not read). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
