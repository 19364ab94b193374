import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { Database } from "../../db/client.js";

type State = VersionedState<ConversationData>;

/**
 * Keeps the dialogs' state in SQLite, so that a restart of the bot resumes every dialog at the
 * step it was on. The plugin reads the state on every update of a chat; a write-through cache
 * (this process is the only writer) spares the database those reads.
 */
export function sqliteConversationStorage(db: Database, capacity = 20_000) {
  const cache = new Map<string, State | null>();
  const remember = (key: string, state: State | null) => {
    cache.delete(key);
    cache.set(key, state);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
  };
  return {
    async read(key: string): Promise<State | undefined> {
      if (!cache.has(key)) {
        const row = await db.conversationState.findUnique({ where: { key } });
        remember(key, row ? (JSON.parse(row.value) as State) : null);
      }
      return cache.get(key) ?? undefined;
    },
    async write(key: string, state: State): Promise<void> {
      const value = JSON.stringify(state);
      await db.conversationState.upsert({ where: { key }, create: { key, value }, update: { value } });
      remember(key, state);
    },
    async delete(key: string): Promise<void> {
      await db.conversationState.deleteMany({ where: { key } });
      remember(key, null);
    },
  };
}
