import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { Database } from "./client.js";
import type { Clock } from "../shared/clock.js";

type State = VersionedState<ConversationData>;

export type DialogStorage = ReturnType<typeof sqliteDialogStorage>;

const ABANDONED_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Keeps the dialogs' state in SQLite, so that a restart of the bot resumes every dialog at the
 * step it was on. The plugin reads the state on every update of a chat, and nearly all chats
 * have no dialog going: all states (one row per unfinished dialog) are loaded once and kept in
 * memory, written through to the database (this process is the only writer).
 */
export function sqliteDialogStorage(db: Database, clock: Clock) {
  let states: Promise<Map<string, State>> | undefined;
  const load = async () => {
    // Abandoned dialogs hold what users typed: they are not kept beyond a week.
    await db.dialogState.deleteMany({ where: { updatedAt: { lt: new Date(clock.now().toMillis() - ABANDONED_AFTER_MS) } } });
    const rows = await db.dialogState.findMany();
    return new Map(rows.map((row) => [row.key, JSON.parse(row.value) as State]));
  };
  const loaded = () => (states ??= load());
  return {
    async read(key: string): Promise<State | undefined> {
      return (await loaded()).get(key);
    },
    async write(key: string, state: State): Promise<void> {
      const all = await loaded();
      const value = JSON.stringify(state);
      await db.dialogState.upsert({ where: { key }, create: { key, value }, update: { value } });
      all.set(key, state);
    },
    async delete(key: string): Promise<void> {
      const all = await loaded();
      await db.dialogState.deleteMany({ where: { key } });
      all.delete(key);
    },
  };
}
