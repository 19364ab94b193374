import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

let root: string | undefined;

/** The folder with package.json, whether running from src/ (tsx) or the compiled dist/; found on first use. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${import.meta.dirname}`);
    dir = parent;
  }
  return (root = dir);
}

/** A path inside the project, e.g. projectPath("config/hotline.json"). */
export function projectPath(...parts: string[]): string {
  return join(projectRoot(), ...parts);
}
