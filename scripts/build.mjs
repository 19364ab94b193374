// Builds dist/ with `tsc -p tsconfig.build.json`; with --if-stale only when its inputs changed.
//
// Plain JavaScript so that it runs with bare `node` in a few tens of milliseconds (no tsx, no tsc
// start-up) on every `npm start`. The inputs are every file under the folders and files that
// tsconfig.build.json includes, the tsconfig files, the Prisma schema and the compiler's version.
// Their paths, sizes and mtimes are hashed into dist/.build-stamp, written after a successful
// build: a file that is edited, added, deleted or moved (mv keeps the mtime) makes the build
// stale. A rebuild starts from an empty dist/, so files moved away leave no old output behind.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "dist");
const stampFile = join(outDir, ".build-stamp");
const entry = join(outDir, "src/main.js");

/** Every file below `path` (or `path` itself), skipping folders that are not sources. */
function filesUnder(path, into) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return into;
  }
  if (stat.isFile()) {
    into.push(`${relative(root, path)}\t${stat.size}\t${stat.mtimeMs}`);
    return into;
  }
  if (!stat.isDirectory()) return into;
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name === ".git") continue;
    filesUnder(join(path, name), into);
  }
  return into;
}

/** A hash of the build's inputs: paths, sizes, mtimes. */
function fingerprint() {
  const config = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8"));
  const inputs = [
    ...(config.include ?? []),
    "tsconfig.json",
    "tsconfig.build.json",
    "prisma/schema.prisma",
    "node_modules/typescript/package.json",
  ];
  const lines = [];
  for (const input of inputs) filesUnder(join(root, input), lines);
  return createHash("sha256").update(lines.sort().join("\n")).digest("hex");
}

function build(hash) {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, `${hash}\n`);
}

const ifStale = process.argv.includes("--if-stale");
const hash = fingerprint();
const stamp = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : undefined;
if (!ifStale || stamp !== hash || !existsSync(entry)) build(hash);
