import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import Database from "better-sqlite3";
import type { Clock } from "../shared/clock.js";

type State = VersionedState<ConversationData>;

export type DialogStorage = ReturnType<typeof sqliteDialogStorage>;

/** Abandoned dialogs hold what users typed: they are not kept beyond a week. */
const ABANDONED_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** How often abandoned dialogs are looked for while the bot runs. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** States kept in memory, most recently used; the others are read from the file when needed. */
const CACHED_STATES = 200;

/**
 * Keeps the dialogs' state in SQLite, so that a restart of the bot resumes every dialog at the
 * step it was on. The plugin reads the state on every update of a chat, and nearly all chats
 * have no dialog going: only the keys of unfinished dialogs are kept in memory (and a few recent
 * states), so that a chat without a dialog costs no read and abandoned drafts cost no memory.
 * It writes through its own connection (better-sqlite3, synchronous, in WAL mode beside the
 * bot's), not through Prisma, whose debug history would keep the large values it writes.
 */
export function sqliteDialogStorage(file: string, clock: Clock) {
  const db = new Database(file, { timeout: 5000 });
  const select = db.prepare<[string], { value: string }>(`SELECT value FROM "ConversationState" WHERE key = ?`);
  const upsert = db.prepare(
    `INSERT INTO "ConversationState" (key, value, updatedAt) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
  );
  const remove = db.prepare(`DELETE FROM "ConversationState" WHERE key = ?`);
  const removeOlder = db.prepare<[string], { key: string }>(`DELETE FROM "ConversationState" WHERE updatedAt < ? RETURNING key`);
  // Prisma writes DateTime as ISO text with an explicit offset; this connection writes the same.
  const timestamp = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  const cache = new Map<string, State>();
  let lastSweep = Number.NEGATIVE_INFINITY;

  const sweep = () => {
    if (clock.monotonicMs() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = clock.monotonicMs();
    for (const { key } of removeOlder.all(timestamp(clock.now().toMillis() - ABANDONED_AFTER_MS))) {
      keys.delete(key);
      cache.delete(key);
    }
  };
  const remember = (key: string, state: State) => {
    cache.delete(key);
    cache.set(key, state);
    if (cache.size > CACHED_STATES) cache.delete(cache.keys().next().value!);
  };
  const keys = new Set(
    db
      .prepare<[], { key: string }>(`SELECT key FROM "ConversationState"`)
      .all()
      .map((row) => row.key),
  );
  sweep();

  return {
    async read(key: string): Promise<State | undefined> {
      sweep();
      if (!keys.has(key)) return undefined;
      const cached = cache.get(key);
      if (cached) return cached;
      const row = select.get(key);
      if (!row) return void keys.delete(key);
      const state = JSON.parse(row.value) as State;
      remember(key, state);
      return state;
    },
    async write(key: string, state: State): Promise<void> {
      upsert.run(key, JSON.stringify(state), timestamp(clock.now().toMillis()));
      keys.add(key);
      remember(key, state);
    },
    async delete(key: string): Promise<void> {
      remove.run(key);
      keys.delete(key);
      cache.delete(key);
    },
    /** How many unfinished dialogs there are (for tests and figures). */
    count: () => keys.size,
    close: () => db.close(),
  };
}
