import type { Context } from "grammy";
import type { Audience, NoticeContent, NoticeVersion } from "../../broadcast/notice.js";
import { sendNotice } from "../../broadcast/sender.js";
import { isLocale, LOCALES, type Locale, type Translate } from "../../i18n.js";
import { TOPICS } from "../../requests/domain.js";
import { broadcastDialogButton as button } from "../callbacks.js";
import type { HamrohContext } from "../context.js";
import { type Dialog, Prompt } from "./prompt.js";

export const BROADCAST_DIALOG = "broadcast";

/** What the bot does for the dialog: count an audience, list zones, start the sending job. */
export interface BroadcastActions {
  zones: () => Promise<string[]>;
  count: (audience: Audience) => Promise<number>;
  start: (outside: HamrohContext, content: NoticeContent, audience: Audience) => Promise<string>;
}

/**
 * /broadcast for admins: the notice (text with formatting, or one photo with a caption) →
 * its language, optional versions in other languages → the default version → the audience →
 * a preview exactly as users will see it, with the number of recipients → Confirm / Edit / Cancel.
 */
export function createBroadcastDialog(translate: Record<Locale, Translate>, actions: BroadcastActions) {
  return async function broadcast(dialog: Dialog, ctx: Context): Promise<void> {
    const t = translate[await dialog.external((outside) => outside.locale)];
    const languageName = (locale: string) => translate[locale as Locale]("language.name");
    const prompt = new Prompt(dialog, ctx, {
      t,
      cancelData: button.cancel.pack(),
      cancelCommands: ["broadcast_cancel"],
      cancelledKey: "broadcast.cancelled",
      now: () => dialog.now(),
    });
    const choose = (text: string, options: { value: string; label: string }[]) =>
      prompt.choose(
        text,
        options.map((option) => ({ ...option, data: button.choice.pack({ value: option.value }) })),
        "",
      );
    const languages = (locales: readonly string[]) => locales.map((locale) => ({ value: locale, label: languageName(locale) }));
    const readText = (text: string, allowPhoto: boolean) =>
      prompt.askUntil<{ version: NoticeVersion; photo?: string }>(text, undefined, (answer) => {
        const message = answer.message;
        if (message?.text && !message.text.startsWith("/"))
          return { value: { version: { text: message.text, entities: message.entities } } };
        if (allowPhoto && message?.photo && message.caption) {
          return {
            value: { version: { text: message.caption, entities: message.caption_entities }, photo: message.photo.at(-1)!.file_id },
          };
        }
        return { hint: t("broadcast.textHint") };
      });

    for (;;) {
      const first = await readText(t("broadcast.compose"), true);
      const firstLocale = await choose(t("broadcast.whichLanguage"), languages(LOCALES));
      const content: NoticeContent = {
        defaultLocale: firstLocale as Locale,
        versions: { [firstLocale]: first.version },
        photoFileId: first.photo,
      };
      for (;;) {
        const missing = LOCALES.filter((locale) => !content.versions[locale]);
        if (missing.length === 0) break;
        const next = await choose(t("broadcast.moreVersions"), [
          ...languages(missing),
          { value: "done", label: t("broadcast.noMoreVersions") },
        ]);
        if (!isLocale(next)) break;
        content.versions[next] = (await readText(t("broadcast.versionText", { language: languageName(next) }), false)).version;
      }
      const versions = Object.keys(content.versions);
      if (versions.length > 1) content.defaultLocale = (await choose(t("broadcast.defaultVersion"), languages(versions))) as Locale;

      const audience = await chooseAudience(t, choose, languages(LOCALES), actions, dialog);
      await prompt.say(t("broadcast.previewTitle"));
      for (const locale of versions) await sendNotice(ctx.api, ctx.chat!.id, content, locale);
      prompt.below();
      const recipients = await dialog.external(() => actions.count(audience));
      const decision = await choose(
        t("broadcast.confirm", {
          count: recipients,
          versions: versions.map(languageName).join(", "),
          fallback: languageName(content.defaultLocale),
        }),
        [
          { value: "send", label: t("broadcast.send") },
          { value: "edit", label: t("broadcast.edit") },
        ],
      );
      if (decision === "send") {
        const started = await dialog.external((outside) => actions.start(outside, content, audience));
        await ctx.reply(started);
        return;
      }
    }
  };
}

async function chooseAudience(
  t: Translate,
  choose: (text: string, options: { value: string; label: string }[]) => Promise<string>,
  languages: { value: string; label: string }[],
  actions: BroadcastActions,
  dialog: Dialog,
): Promise<Audience> {
  const kind = await choose(
    t("broadcast.audience"),
    ["all", "language", "zone", "topic"].map((value) => ({ value, label: t(`broadcast.audienceKind.${value}`) })),
  );
  if (kind === "language") {
    return { kind, value: (await choose(t("broadcast.audienceLanguage"), languages)) as Locale };
  }
  if (kind === "zone") {
    const zones = await dialog.external(() => actions.zones());
    return {
      kind,
      value: await choose(
        t("broadcast.audienceZone"),
        zones.map((zone) => ({ value: zone, label: zone })),
      ),
    };
  }
  if (kind === "topic")
    return {
      kind,
      value: await choose(
        t("broadcast.audienceTopic"),
        TOPICS.map((topic) => ({ value: topic, label: t(`topic.${topic}`) })),
      ),
    };
  return { kind: "all" };
}
