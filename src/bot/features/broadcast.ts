import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { audienceFilter, type Audience, type NoticeContent } from "../../broadcast/notice.js";
import type { BroadcastSender } from "../broadcast-sender.js";
import type { RegisteredContext } from "../context.js";
import { BROADCAST_CONVERSATION, createBroadcastConversation } from "../conversations/broadcast.js";

/** Admins' notices to users: the /broadcast dialog, /broadcast_cancel. The sending is BroadcastSender's. */
export function broadcastFeature(translate: RegisteredContext["deps"]["translate"], sender: BroadcastSender): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  const isAdmin = (ctx: RegisteredContext) => ctx.deps.adminIds.includes(Number(ctx.user.telegramId));

  feature.use(
    createConversation(
      createBroadcastConversation(translate, {
        zones: async (ctx) =>
          (await ctx.deps.db.user.groupBy({ by: ["timeZone"], where: { timeZone: { not: null } }, _count: true, orderBy: { _count: { timeZone: "desc" } }, take: 12 })).map(
            (row) => row.timeZone!,
          ),
        count: (ctx, audience) => ctx.deps.db.user.count({ where: audienceFilter(audience) }),
        start: (ctx, content, audience) => startBroadcast(ctx as RegisteredContext, content, audience, sender),
      }),
      BROADCAST_CONVERSATION,
    ),
  );

  feature.command(["broadcast", "broadcast_cancel"], async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    await ctx.reply(ctx.t("admin.onlyAdmins"));
  });
  feature.command("broadcast", (ctx) => ctx.conversation.enter(BROADCAST_CONVERSATION));
  feature.command("broadcast_cancel", async (ctx) => {
    const { count } = await ctx.deps.db.broadcast.updateMany({ where: { status: "sending" }, data: { status: "cancelled", finishedAt: ctx.deps.now().toJSDate() } });
    await ctx.reply(ctx.t(count > 0 ? "broadcast.cancelling" : "broadcast.nothingToCancel"));
  });
  return feature;
}

/** Saves the notice with one delivery row per recipient (in one transaction), then starts sending. */
async function startBroadcast(ctx: RegisteredContext, content: NoticeContent, audience: Audience, sender: BroadcastSender): Promise<string> {
  const { db } = ctx.deps;
  const recipients = await db.user.findMany({ where: audienceFilter(audience), select: { id: true } });
  const broadcast = await db.$transaction(async (tx) => {
    const created = await tx.broadcast.create({
      data: { createdBy: ctx.user.telegramId, content: JSON.stringify(content), photoFileId: content.photoFileId, audience: JSON.stringify(audience), total: recipients.length, progressChatId: ctx.user.telegramId },
    });
    await tx.broadcastDelivery.createMany({ data: recipients.map((user) => ({ broadcastId: created.id, userId: user.id })) });
    return created;
  });
  const progress = await ctx.api.sendMessage(ctx.chat!.id, ctx.t("broadcast.progress", { id: broadcast.id, sent: 0, total: recipients.length, failed: 0, blocked: 0, minutes: 0 }));
  await db.broadcast.update({ where: { id: broadcast.id }, data: { progressMessageId: progress.message_id } });
  void sender.kick();
  return ctx.t("broadcast.started", { id: broadcast.id, count: recipients.length });
}
