import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");

/** What `npm start` runs after its build step (`npm test` builds before the tests). */
const START_ARGS = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start as string)
  .split("&&")
  .at(-1)!
  .trim()
  .split(/\s+/)
  .slice(1)
  .map((arg) => (arg.startsWith("dist/") ? join(root, arg) : arg));

const folders: string[] = [];

/** Runs the built bot as `npm start` does, in an empty folder of its own (no .env), with only `env` (and PATH). */
export function startBuiltBot(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), "hamroh-start-"));
  folders.push(cwd);
  const child = spawn(process.execPath, START_ARGS, { cwd, env: { PATH: process.env.PATH!, ...env } });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  return { child, exited, output: () => output, running: () => exitCode === undefined };
}

/** Removes the folders the bots started so far ran in (call it after all of a file's tests). */
export function removeBotFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Waits until `condition` holds (at most `ms`); the timeout names `what`, and the bot's output if given. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, output?: () => string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${output ? `; output:\n${output()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
