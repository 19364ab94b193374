import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import type { Audience, NoticeContent } from "../../broadcast/notice.js";
import type { BroadcastSender } from "../../broadcast/sender.js";
import type { BroadcastStore } from "../../broadcast/store.js";
import type { Locale, Translate } from "../../i18n.js";
import type { Clock } from "../../shared/clock.js";
import type { RegisteredContext } from "../context.js";
import { BROADCAST_DIALOG, createBroadcastDialog } from "../dialogs/broadcast.js";

export interface BroadcastDeps {
  adminIds: number[];
  translate: Record<Locale, Translate>;
  broadcasts: BroadcastStore;
  sender: BroadcastSender;
  clock: Clock;
}

/** Admins' notices to users: the /broadcast dialog, /broadcast_cancel. The sending is BroadcastSender's. */
export function broadcastFeature(deps: BroadcastDeps): Composer<RegisteredContext> {
  const { broadcasts } = deps;
  const feature = new Composer<RegisteredContext>();
  const isAdmin = (ctx: RegisteredContext) => deps.adminIds.includes(Number(ctx.user.telegramId));

  const dialog = createBroadcastDialog(deps.translate, {
    zones: () => broadcasts.zones(),
    count: (audience) => broadcasts.countAudience(audience),
    start: (ctx, content, audience) => startBroadcast(ctx as RegisteredContext, content, audience, deps),
  });
  feature.use(createConversation(dialog, BROADCAST_DIALOG));

  feature.command(["broadcast", "broadcast_cancel"], async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    await ctx.reply(ctx.t("admin.onlyAdmins"));
  });
  feature.command("broadcast", (ctx) => ctx.conversation.enter(BROADCAST_DIALOG));
  feature.command("broadcast_cancel", async (ctx) => {
    const count = await broadcasts.cancelAll(deps.clock.now().toJSDate());
    await ctx.reply(ctx.t(count > 0 ? "broadcast.cancelling" : "broadcast.nothingToCancel"));
  });
  return feature;
}

/** Saves the notice with one delivery row per recipient, shows the progress message, then starts sending. */
async function startBroadcast(
  ctx: RegisteredContext,
  content: NoticeContent,
  audience: Audience,
  { broadcasts, sender }: BroadcastDeps,
): Promise<string> {
  const broadcast = await broadcasts.create(ctx.user.telegramId, content, audience);
  const progress = await ctx.api.sendMessage(
    ctx.chat!.id,
    ctx.t("broadcast.progress", { id: broadcast.id, sent: 0, total: broadcast.total, failed: 0, blocked: 0, minutes: 0 }),
  );
  await broadcasts.setProgressMessage(broadcast.id, progress.message_id);
  void sender.kick();
  return ctx.t("broadcast.started", { id: broadcast.id, count: broadcast.total });
}
