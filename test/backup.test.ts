import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { backupWithRotation } from "../src/db/backup.js";
import { closeDatabase, openDatabase } from "../src/db/client.js";

it("backups keep the newest BACKUP_KEEP copies, and names never collide, even within one millisecond", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hamroh-backup-"));
  try {
    const file = join(dir, "hamroh.db");
    await closeDatabase(await openDatabase(`file:${file}`));
    const folder = join(dir, "backups");
    const sameMoment = new Date("2026-12-01T10:00:00.123Z");
    const first = backupWithRotation(file, folder, 7, sameMoment).written;
    const second = backupWithRotation(file, folder, 7, sameMoment).written;
    expect(second).not.toBe(first);
    for (let day = 2; day <= 10; day++)
      backupWithRotation(file, folder, 7, new Date(`2026-12-${String(day).padStart(2, "0")}T03:00:00.000Z`));
    const left = readdirSync(folder).sort();
    expect(left).toHaveLength(7);
    expect(left[0]).toBe("hamroh-20261204-030000-000.db");
    expect(left.at(-1)).toBe("hamroh-20261210-030000-000.db");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
