import { Composer, type Context } from "grammy";
import type { Chat, ChatMember } from "grammy/types";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { Locale, Translate } from "../../i18n.js";
import { missingStaffRights, type StaffRight, staffRightsAlert } from "../../ops/staff-rights.js";
import type { AdminAlerts } from "../../requests/admin-alerts.js";
import type { UserStore } from "../../users/store.js";

export interface StaffGroupSetupDeps {
  adminIds: number[];
  staff: StaffConfig;
  users: UserStore;
  translate: Record<Locale, Translate>;
  alerts: AdminAlerts;
  logger: Logger;
}

const RIGHT_KEYS: Record<StaffRight, string> = {
  administrator: "staffGroup.rightAdministrator",
  "delete-messages": "staffGroup.rightDeleteMessages",
  "manage-topics": "staffGroup.rightManageTopics",
};

/**
 * Finding the staff group without curl: when an admin (ADMIN_IDS) adds the bot to a group or
 * changes its rights there, or sends /staffgroup in it, the bot tells that admin privately the
 * group's id, the line for .env and the rights it still lacks. Nobody else gets an answer, and
 * nothing is said in the group. In the staff group itself, a change of the bot's rights that
 * leaves one missing is told to every admin once. Updates it does not answer go on.
 */
export function staffGroupSetupFeature(deps: StaffGroupSetupDeps): Composer<Context> {
  const feature = new Composer<Context>();
  const isAdmin = (id: number | undefined) => id !== undefined && deps.adminIds.includes(id);
  const groups = feature.chatType(["group", "supergroup"]);

  groups.on("my_chat_member", async (ctx, next) => {
    const { new_chat_member: member, from } = ctx.myChatMember;
    const present = member.status !== "left" && member.status !== "kicked";
    if (ctx.chat.id === deps.staff.chatId) {
      // An administrator without a right: told here, once (features/staff.ts would count it as fixed).
      // Out of the group, no administrator, or every right: features/staff.ts tells or clears it.
      const alert =
        member.status === "administrator" ? staffRightsAlert(missingStaffRights(member, ctx.chat.is_forum === true)) : undefined;
      if (alert) return deps.alerts.raise(alert.alert, alert.values);
    } else if (present && isAdmin(from.id)) {
      await tellAdmin(deps, ctx, from.id, member);
    }
    return next();
  });

  groups.command("staffgroup", async (ctx, next) => {
    if (!isAdmin(ctx.from?.id)) return next();
    const member = await ctx.getChatMember(ctx.me.id).catch((error: unknown) => {
      deps.logger.warn({ err: error }, "could not check the bot's rights in a group");
      return undefined;
    });
    await tellAdmin(deps, ctx, ctx.from!.id, member);
  });

  feature.chatType("private").command("staffgroup", async (ctx, next) => {
    if (!isAdmin(ctx.from.id)) return next();
    const t = await translatorOf(deps, ctx.from.id);
    await ctx.reply(t("staffGroup.sendInGroup", { bot: ctx.me.username }), { parse_mode: "HTML" });
  });
  return feature;
}

/** The admin's language (their profile's), or the staff group's. */
async function translatorOf(deps: StaffGroupSetupDeps, adminId: number): Promise<Translate> {
  const profile = await deps.users.profile(BigInt(adminId));
  return deps.translate[(profile?.language as Locale | undefined) ?? deps.staff.language] ?? deps.translate[deps.staff.language];
}

/** The group's id, the line for .env and what the bot still lacks there, to the admin in private. */
async function tellAdmin(
  deps: StaffGroupSetupDeps,
  ctx: Context & { chat: Chat.GroupChat | Chat.SupergroupChat },
  adminId: number,
  member: ChatMember | undefined,
): Promise<void> {
  const t = await translatorOf(deps, adminId);
  const chat = ctx.chat;
  const text =
    chat.type === "group"
      ? t("staffGroup.basicGroup", { title: chat.title, bot: ctx.me.username })
      : [
          t("staffGroup.found", { title: chat.title, id: chat.id }),
          chat.id === deps.staff.chatId ? t("staffGroup.alreadySet") : t("staffGroup.envLine", { id: chat.id }),
          rightsText(t, member, chat.is_forum === true),
        ].join("\n\n");
  await ctx.api
    .sendMessage(adminId, text, { parse_mode: "HTML" })
    .catch((error: unknown) => deps.logger.warn({ err: error }, "could not tell an admin about a group: they have not started the bot"));
}

function rightsText(t: Translate, member: ChatMember | undefined, topics: boolean): string {
  if (!member) return t("staffGroup.rightsUnknown");
  const missing = missingStaffRights(member, topics);
  if (missing.length === 0) return t(topics ? "staffGroup.rightsOkTopics" : "staffGroup.rightsOk");
  return [t("staffGroup.rightsMissing"), ...missing.map((right) => `• ${t(RIGHT_KEYS[right])}`)].join("\n");
}
