/**
 * A Bot API call's parameters as Telegram reads them: from the query string, a JSON body, a form
 * or multipart/form-data (where every value is a string and objects are JSON), files attached
 * to the multipart body under their own names (`attach://name`) or the parameter's.
 */

/** A refusal the Bot API answers with (`{ ok: false, error_code, description }`). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = "ApiError";
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

/** A file that came in a multipart body. */
export interface UploadedPart {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export class Params {
  constructor(
    private readonly values: Record<string, unknown>,
    readonly files: ReadonlyMap<string, UploadedPart> = new Map(),
  ) {}

  has(name: string): boolean {
    const value = this.values[name];
    return value !== undefined && value !== null && value !== "";
  }

  raw(name: string): unknown {
    return this.values[name];
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === "") throw badRequest(`${name} is empty`);
    return value;
  }

  integer(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const value = Number(this.values[name]);
    if (!Number.isSafeInteger(value)) throw badRequest(`invalid ${name} specified`);
    return value;
  }

  requiredInteger(name: string): number {
    const value = this.integer(name);
    if (value === undefined) throw badRequest(`${name} is empty`);
    return value;
  }

  number(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const value = Number(this.values[name]);
    if (!Number.isFinite(value)) throw badRequest(`invalid ${name} specified`);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || value === "true" || value === "1" || value === 1;
  }

  /** An object or array parameter: JSON in forms and multipart bodies, as is in JSON bodies. */
  json<T>(name: string): T | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw badRequest(`can't parse ${name} JSON object`);
    }
  }

  /** A file parameter: an uploaded part (`attach://name` or the field itself), or a string (a file id or a URL). */
  file(name: string): { upload: UploadedPart } | { reference: string } | undefined {
    const part = this.files.get(name);
    if (part) return { upload: part };
    const value = this.string(name);
    if (value === undefined || value === "") return undefined;
    const attached = /^attach:\/\/(.+)$/.exec(value);
    if (attached) {
      const upload = this.files.get(attached[1]!);
      if (!upload) throw badRequest(`file must be uploaded as a multipart/form-data part named ${attached[1]}`);
      return { upload };
    }
    return { reference: value };
  }
}

/** Reads a request body by its content type, with the query string's parameters under it. */
export function readParams(contentType: string | undefined, body: Buffer, query: URLSearchParams): Params {
  const values: Record<string, unknown> = Object.fromEntries(query.entries());
  const files = new Map<string, UploadedPart>();
  const type = (contentType ?? "").toLowerCase();
  if (body.length > 0 && type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) Object.assign(values, parsed);
  } else if (body.length > 0 && type.startsWith("application/x-www-form-urlencoded")) {
    Object.assign(values, Object.fromEntries(new URLSearchParams(body.toString("utf8")).entries()));
  } else if (body.length > 0 && type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
    if (!boundary) throw badRequest("multipart/form-data without a boundary");
    for (const part of parseMultipart(body, boundary[1] ?? boundary[2]!.trim())) {
      if (part.filename !== undefined) files.set(part.name, { filename: part.filename, contentType: part.contentType, bytes: part.bytes });
      else values[part.name] = part.bytes.toString("utf8");
    }
  }
  return new Params(values, files);
}

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string;
  bytes: Buffer;
}

/** A small multipart/form-data reader (grammY writes headers without spaces and file names unquoted). */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    let from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === "--") break;
    if (body.subarray(from, from + 2).toString() === "\r\n") from += 2;
    const next = body.indexOf(delimiter, from);
    if (next < 0) break;
    // The part ends before the CRLF that precedes the next delimiter.
    const end = body.subarray(next - 2, next).toString() === "\r\n" ? next - 2 : next;
    const headerEnd = body.indexOf("\r\n\r\n", from);
    if (headerEnd >= 0 && headerEnd < end) {
      const headers = body.subarray(from, headerEnd).toString("utf8");
      const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? "";
      const name = fieldOf(disposition, "name");
      if (name !== undefined) {
        parts.push({
          name,
          filename: fieldOf(disposition, "filename"),
          contentType: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim() ?? "application/octet-stream",
          bytes: Buffer.from(body.subarray(headerEnd + 4, end)),
        });
      }
    }
    start = next;
  }
  return parts;
}

function fieldOf(disposition: string, field: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${field}=(?:"([^"]*)"|([^;]*))`, "i").exec(disposition);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? "").trim();
}
