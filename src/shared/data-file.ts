import { readFileSync } from "node:fs";

/** Reads a JSON data file; a missing or malformed file is named in the error, with what is wrong. */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ContentError(`${path} cannot be read: check that the file exists.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContentError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix the file's syntax.`);
  }
}

/** A data file (hours, holidays, numbers, texts) that is missing or wrong; its message names the file and the field. */
export class ContentError extends Error {
  override name = "ContentError";
}
