import type { Conversation } from "@grammyjs/conversations";
import { InlineKeyboard, type Context } from "grammy";
import { LOCALES, isLocale, type Locale, type Translate } from "../../i18n.js";
import { TOPICS } from "../../requests/domain.js";
import type { Audience, NoticeContent, NoticeVersion } from "../../broadcast/notice.js";
import { sendNotice } from "../broadcast-sender.js";
import type { HamrohContext } from "../context.js";

export const BROADCAST_CONVERSATION = "broadcast";

type BroadcastConversation = Conversation<HamrohContext, Context>;

/** What the bot does for the dialog: count an audience, list zones, start the sending job. */
export interface BroadcastActions {
  zones: (outside: HamrohContext) => Promise<string[]>;
  count: (outside: HamrohContext, audience: Audience) => Promise<number>;
  start: (outside: HamrohContext, content: NoticeContent, audience: Audience) => Promise<string>;
}

const CANCEL = "bc:cancel";

/**
 * /broadcast for admins: the notice (text with formatting, or one photo with a caption) →
 * its language, optional versions in other languages → the default version → the audience →
 * a preview exactly as users will see it, with the number of recipients → Confirm / Edit / Cancel.
 */
export function createBroadcastConversation(translate: Record<Locale, Translate>, actions: BroadcastActions) {
  return async function broadcast(conversation: BroadcastConversation, ctx: Context): Promise<void> {
    const t = translate[await conversation.external((outside) => outside.locale)];
    const languageName = (locale: string) => translate[locale as Locale]("language.name");

    const ask = async (text: string, keyboard = new InlineKeyboard()): Promise<Context> => {
      await ctx.reply(text, { reply_markup: InlineKeyboard.from([...keyboard.inline_keyboard.filter((row) => row.length > 0), [InlineKeyboard.text(t("ask.cancel"), CANCEL)]]) });
      const answer = await conversation.wait();
      if (answer.callbackQuery) await answer.answerCallbackQuery().catch(() => undefined);
      if (answer.callbackQuery?.data === CANCEL || answer.message?.text === "/cancel" || answer.message?.text === "/broadcast_cancel") {
        await answer.reply(t("broadcast.cancelled"));
        return conversation.halt();
      }
      return answer;
    };
    const choose = async (text: string, options: { value: string; label: string }[]): Promise<string> => {
      const keyboard = InlineKeyboard.from(Array.from({ length: Math.ceil(options.length / 2) }, (_, row) => options.slice(row * 2, row * 2 + 2).map((o) => InlineKeyboard.text(o.label, `bc:${o.value}`))));
      for (;;) {
        const data = (await ask(text, keyboard)).callbackQuery?.data;
        const chosen = options.find((option) => data === `bc:${option.value}`);
        if (chosen) return chosen.value;
      }
    };
    const readText = async (prompt: string, allowPhoto: boolean): Promise<{ version: NoticeVersion; photo?: string }> => {
      let hint = "";
      for (;;) {
        const message = (await ask(hint + prompt)).message;
        if (message?.text && !message.text.startsWith("/")) return { version: { text: message.text, entities: message.entities } };
        if (allowPhoto && message?.photo && message.caption) return { version: { text: message.caption, entities: message.caption_entities }, photo: message.photo.at(-1)!.file_id };
        hint = `${t("broadcast.textHint")}\n\n`;
      }
    };

    for (;;) {
      const first = await readText(t("broadcast.compose"), true);
      const firstLocale = await choose(t("broadcast.whichLanguage"), LOCALES.map((locale) => ({ value: locale, label: languageName(locale) })));
      const content: NoticeContent = { defaultLocale: firstLocale as Locale, versions: { [firstLocale]: first.version }, photoFileId: first.photo };
      for (;;) {
        const missing = LOCALES.filter((locale) => !content.versions[locale]);
        if (missing.length === 0) break;
        const next = await choose(t("broadcast.moreVersions"), [...missing.map((locale) => ({ value: locale, label: languageName(locale) })), { value: "done", label: t("broadcast.noMoreVersions") }]);
        if (!isLocale(next)) break;
        content.versions[next] = (await readText(t("broadcast.versionText", { language: languageName(next) }), false)).version;
      }
      const versions = Object.keys(content.versions);
      if (versions.length > 1) {
        content.defaultLocale = (await choose(t("broadcast.defaultVersion"), versions.map((locale) => ({ value: locale, label: languageName(locale) })))) as Locale;
      }

      const kind = await choose(t("broadcast.audience"), ["all", "language", "zone", "topic"].map((value) => ({ value, label: t(`broadcast.audienceKind.${value}`) })));
      let audience: Audience = { kind: "all" };
      if (kind === "language") audience = { kind, value: (await choose(t("broadcast.audienceLanguage"), LOCALES.map((l) => ({ value: l, label: languageName(l) })))) as Locale };
      if (kind === "zone") {
        const zones = await conversation.external((outside) => actions.zones(outside));
        audience = { kind, value: await choose(t("broadcast.audienceZone"), zones.map((zone) => ({ value: zone, label: zone }))) };
      }
      if (kind === "topic") audience = { kind, value: await choose(t("broadcast.audienceTopic"), TOPICS.map((topic) => ({ value: topic, label: t(`topic.${topic}`) }))) };

      await ctx.reply(t("broadcast.previewTitle"));
      for (const locale of versions) await sendNotice(ctx.api, ctx.chat!.id, content, locale);
      const recipients = await conversation.external((outside) => actions.count(outside, audience));
      const decision = await choose(t("broadcast.confirm", { count: recipients, versions: versions.map(languageName).join(", "), fallback: languageName(content.defaultLocale) }), [
        { value: "send", label: t("broadcast.send") },
        { value: "edit", label: t("broadcast.edit") },
      ]);
      if (decision === "send") {
        const started = await conversation.external((outside) => actions.start(outside, content, audience));
        await ctx.reply(started);
        return;
      }
    }
  };
}
