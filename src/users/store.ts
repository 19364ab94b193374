import type { Database } from "../db/client.js";
import type { User } from "../generated/prisma/client.js";
import type { Locale } from "../i18n.js";

export type UserChanges = Partial<Pick<User, "language" | "timeZone" | "city" | "citizenship" | "lastSeenAt" | "noticesOff" | "banned">>;

/** lastSeenAt is refreshed at most this often, so that most updates cost no write. */
const LAST_SEEN_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * The users' profiles, read through a bounded in-memory cache: nearly every update needs the
 * sender's profile, and this process is the only writer, so every change goes through here.
 * The cache also remembers who has no profile yet (null), so a newcomer costs one read.
 */
export class UserStore {
  /** Map order is recency order: the first entry is the least recently used. */
  private readonly cache = new Map<bigint, User | null>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 20_000,
  ) {}

  /** The profile of this Telegram user, if they have one; notes that they were seen. */
  async seen(telegramId: bigint, at: Date): Promise<User | undefined> {
    let user = this.cache.has(telegramId) ? this.cache.get(telegramId)! : await this.db.user.findUnique({ where: { telegramId } });
    if (user && at.getTime() - user.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      // Someone who writes again can be reached again (notices had marked them unreachable).
      user = await this.db.user.update({ where: { id: user.id }, data: { lastSeenAt: at, unreachable: false } });
    }
    this.remember(telegramId, user);
    return user ?? undefined;
  }

  /** The profile of this Telegram user, if they have one (without noting a visit). */
  async profile(telegramId: bigint): Promise<User | undefined> {
    const user = this.cache.has(telegramId) ? this.cache.get(telegramId)! : await this.db.user.findUnique({ where: { telegramId } });
    this.remember(telegramId, user);
    return user ?? undefined;
  }

  /** Stores the chosen language, creating the profile on the first choice. */
  async chooseLanguage(telegramId: bigint, language: Locale, at: Date): Promise<User> {
    const known = this.cache.has(telegramId) ? this.cache.get(telegramId) : await this.db.user.findUnique({ where: { telegramId } });
    if (known) return this.update(known, { language });
    const user = await this.db.user.create({ data: { telegramId, language, lastSeenAt: at } });
    this.remember(telegramId, user);
    return user;
  }

  async update(user: User, changes: UserChanges): Promise<User> {
    const updated = await this.db.user.update({ where: { id: user.id }, data: changes });
    this.remember(user.telegramId, updated);
    return updated;
  }

  /** Blocking the bot (and unblocking it): notices skip the user until they are reachable again. */
  async setReachable(telegramId: bigint, reachable: boolean): Promise<void> {
    await this.db.user.updateMany({ where: { telegramId }, data: { unreachable: !reachable } });
    const cached = this.cache.get(telegramId);
    if (cached) this.remember(telegramId, { ...cached, unreachable: !reachable });
  }

  /** After /forget: the profile is gone. */
  forget(telegramId: bigint): void {
    this.remember(telegramId, null);
  }

  private remember(telegramId: bigint, user: User | null): void {
    this.cache.delete(telegramId);
    this.cache.set(telegramId, user);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }
}
