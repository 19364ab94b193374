import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const deploy = join(root, "deploy");
const UNITS = ["hamroh.service", "hamroh-backup.service", "hamroh-backup.timer"];
const dir = mkdtempSync(join(tmpdir(), "hamroh-deploy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
const npm = join(dirname(process.execPath), "npm");

/** The units as installed, except that Node and npm are where they are on this machine. */
function installed(name: string, change: (text: string) => string = (text) => text): string {
  const text = readFileSync(join(deploy, name), "utf8")
    .replaceAll("/usr/bin/node", process.execPath)
    .replaceAll("/usr/bin/npm", existsSync(npm) ? npm : "/usr/bin/npm");
  const path = join(dir, name);
  writeFileSync(path, change(text));
  return path;
}

function verify(paths: string[]): { status: number | null; output: string } {
  const result = spawnSync("systemd-analyze", ["verify", ...paths], { encoding: "utf8", env: { ...process.env, SYSTEMD_LOG_COLOR: "0" } });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe("deploy/: the systemd unit and the backup timer", () => {
  it.skipIf(!hasSystemdAnalyze)("pass `systemd-analyze verify` with no warning", () => {
    const result = verify(UNITS.map((name) => installed(name)));
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasSystemdAnalyze)("(a unit with a mistake is reported: the check checks)", () => {
    const broken = join(dir, "broken");
    mkdirSync(broken, { recursive: true });
    copyFileSync(
      installed("hamroh.service", (text) => text.replace("Restart=on-failure", "Restart=sometimes")),
      join(broken, "hamroh.service"),
    );
    expect(verify([join(broken, "hamroh.service")]).output).toMatch(/Failed to parse service restart specifier/);
  });

  it("run the bot as `npm start` does, as an unprivileged user, restarted on failure, with .env and journald", () => {
    const unit = readFileSync(join(deploy, "hamroh.service"), "utf8");
    const setting = (key: string) => unit.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];
    const [build, run] = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start as string)
      .split("&&")
      .map((part) => part.trim().replace(/^node /, "/usr/bin/node "));
    expect(setting("ExecStartPre")).toBe(build);
    expect(setting("ExecStart")).toBe(run);
    expect(setting("User")).toBe("hamroh");
    expect(setting("Restart")).toBe("on-failure");
    expect(setting("EnvironmentFile")).toBe("/opt/hamroh/.env");
    expect(setting("StandardOutput")).toBe("journal");
    const timer = readFileSync(join(deploy, "hamroh-backup.timer"), "utf8");
    expect(timer).toMatch(/^Unit=hamroh-backup\.service$/m);
    expect(readFileSync(join(deploy, "hamroh-backup.service"), "utf8")).toMatch(/^ExecStart=\/usr\/bin\/npm run --silent backup$/m);
  });
});
