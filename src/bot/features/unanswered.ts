import { Composer, InputFile } from "grammy";
import { type UnmatchedQueryLog, unansweredCsv } from "../../faq/unmatched.js";
import type { Clock } from "../../shared/clock.js";
import type { RegisteredContext } from "../context.js";

export interface UnansweredDeps {
  adminIds: number[];
  unmatchedQueries: UnmatchedQueryLog;
  clock: Clock;
}

/**
 * `/export unanswered` (admins): a CSV of what users searched for and did not find, for the
 * NGO's writers — only queries that at least 3 different people typed, never who typed them.
 * Installed before the admins' feature, whose `/export` handles everything else.
 */
export function unansweredFeature({ adminIds, unmatchedQueries, clock }: UnansweredDeps): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  feature.command("export", async (ctx, next) => {
    if (ctx.match.trim().toLowerCase() !== "unanswered") return next();
    if (!adminIds.includes(Number(ctx.user.telegramId))) return void (await ctx.reply(ctx.t("admin.onlyAdmins")));
    const rows = await unmatchedQueries.top();
    const name = `hamroh-unanswered-${clock.now().toISODate()}.csv`;
    await ctx.replyWithDocument(new InputFile(Buffer.from(unansweredCsv(rows), "utf8"), name));
  });
  return feature;
}
