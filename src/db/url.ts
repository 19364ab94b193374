/** Where the embedded SQLite database lives unless DATABASE_URL says otherwise. */
export const DEFAULT_DATABASE_URL = "file:./data/hamroh.db";

/** The file path of a `file:` SQLite URL (query parameters dropped). */
export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}
