import { Composer, InlineKeyboard, Keyboard } from "grammy";
import type { Logger } from "pino";
import { directoryButton, NEED_FILTERS, type NeedFilter } from "../../directory/buttons.js";
import { mapSearchUrl, serviceCard } from "../../directory/card.js";
import { type City, type Directory, KINDS_OF_NEED, type Need, type Service } from "../../directory/catalog.js";
import type { DirectoryCounts } from "../../directory/counts.js";
import { matchesNeed, nearest, nearestCity, nearestToCity, type Point, type Ranked, servesCitizen } from "../../directory/nearest.js";
import type { HotlineConfig } from "../../hotline/config.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { showExpired } from "../views/menu.js";
import { showScreen } from "../views/screen.js";

export interface DirectoryDeps {
  directory: Directory;
  counts: DirectoryCounts;
  /** The hotline: its hours for the NGO's own entry, and its number under every list. */
  hotline: HotlineConfig;
  clock: Clock;
  logger: Logger;
}

/** How many services a list shows (the nearest). */
const LIST_SIZE = 3;
/** A filter chosen before sharing the location is kept this long (never the location itself). */
const PENDING_TTL_MS = 15 * 60 * 1000;
const MAX_PENDING = 1_000;

const needOf = (filter: NeedFilter): Need | undefined => (filter === "all" ? undefined : filter);

/**
 * 📍 Where to get help: the services nearest to the user's stored city (or a city they pick),
 * or to a location they share once — three at a time, with kind, name, hours, tappable phones
 * and a map or venue button; filtered by need. The shared location is used for one answer and
 * never stored: not in the database, not in memory, not in any button.
 */
export function directoryFeature(deps: DirectoryDeps): Composer<RegisteredContext> {
  const { directory, clock } = deps;
  const feature = new Composer<RegisteredContext>();
  /** The filter chosen before "share my location", by user id, until the location comes. */
  const pending = new Map<number, { need: NeedFilter; at: number }>();

  const storedCity = (ctx: RegisteredContext) => (ctx.user.city ? directory.cities.get(ctx.user.city) : undefined);
  const openFor = (ctx: RegisteredContext, need: NeedFilter) => {
    const city = storedCity(ctx);
    return city ? showCityList(ctx, deps, city, need) : showChooser(ctx, deps, need);
  };

  feature.callbackQuery(directoryButton.open.trigger, (ctx) => openFor(ctx, "all"));
  feature.callbackQuery(directoryButton.need.trigger, (ctx) => openFor(ctx, directoryButton.need.unpack(ctx.callbackQuery.data)!.need));
  feature.callbackQuery(directoryButton.list.trigger, (ctx) => {
    const { city, need } = directoryButton.list.unpack(ctx.callbackQuery.data)!;
    const known = directory.cities.get(city);
    return known ? showCityList(ctx, deps, known, need) : showExpired(ctx);
  });
  feature.callbackQuery(directoryButton.cities.trigger, (ctx) =>
    showChooser(ctx, deps, directoryButton.cities.unpack(ctx.callbackQuery.data)!.need),
  );

  feature.callbackQuery(directoryButton.nearMe.trigger, async (ctx) => {
    const { need } = directoryButton.nearMe.unpack(ctx.callbackQuery.data)!;
    pending.delete(ctx.user.id);
    pending.set(ctx.user.id, { need, at: clock.monotonicMs() });
    if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
    await ctx.answerCallbackQuery();
    const keyboard = new Keyboard()
      .requestLocation(ctx.t("directory.shareLocation"))
      .row()
      .text(ctx.t("directory.cancelLocation"))
      .resized()
      .oneTime();
    await ctx.reply(ctx.t("directory.askLocation"), { reply_markup: keyboard });
  });

  // The location: used for this one answer, then forgotten (nothing about it is kept anywhere).
  feature.on("message:location", async (ctx) => {
    const { latitude, longitude } = ctx.message.location;
    const chosen = pending.get(ctx.user.id);
    pending.delete(ctx.user.id);
    const need = chosen && clock.monotonicMs() - chosen.at < PENDING_TTL_MS ? chosen.need : "all";
    await ctx.reply(ctx.t("directory.locationUsed"), { reply_markup: { remove_keyboard: true } });
    await showPointList(ctx, deps, { lat: latitude, lon: longitude }, need);
  });
  // A live location keeps moving: its updates are not new questions.
  feature.on("edited_message:location", () => undefined);
  // "Cancel" on the location keyboard.
  feature.on("message:text").filter(
    (ctx) => ctx.message.text === ctx.t("directory.cancelLocation"),
    async (ctx) => {
      pending.delete(ctx.user.id);
      await ctx.reply(ctx.t("directory.locationCancelled"), { reply_markup: { remove_keyboard: true } });
      await openFor(ctx, "all");
    },
  );

  feature.callbackQuery(directoryButton.venue.trigger, async (ctx) => {
    const service = directory.byId.get(directoryButton.venue.unpack(ctx.callbackQuery.data)!.id);
    if (!service?.location) return void (await ctx.answerCallbackQuery({ text: ctx.t("directory.noVenue"), show_alert: true }));
    await ctx.answerCallbackQuery();
    const address = service.address?.[ctx.locale] ?? directory.cities.get(service.city ?? "")?.names[ctx.locale] ?? "";
    await ctx.replyWithVenue(service.location.lat, service.location.lon, service.name[ctx.locale].slice(0, 256), address.slice(0, 256));
  });
  return feature;
}

/** No city known: share the location, or pick a city. */
async function showChooser(ctx: RegisteredContext, { directory }: DirectoryDeps, need: NeedFilter): Promise<void> {
  const keyboard = new InlineKeyboard().text(ctx.t("directory.nearMe"), directoryButton.nearMe.pack({ need })).row();
  const cities = [...directory.cities.values()];
  cities.forEach((city, index) => {
    keyboard.text(city.names[ctx.locale], directoryButton.list.pack({ city: city.key, need }));
    if (index % 2 === 1) keyboard.row();
  });
  keyboard.row().text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, `<b>${ctx.t("directory.title")}</b>\n\n${ctx.t("directory.chooseWhere")}`, keyboard);
}

async function showCityList(ctx: RegisteredContext, deps: DirectoryDeps, city: City, need: NeedFilter): Promise<void> {
  const ranked = nearestToCity(deps.directory, city, { need: needOf(need), citizenship: ctx.user.citizenship, limit: LIST_SIZE });
  const { text, keyboard, shown } = listScreen(ctx, deps, {
    ranked,
    need,
    city,
    heading: ctx.t("directory.nearCity", { city: city.names[ctx.locale] }),
  });
  await showScreen(ctx, text, keyboard);
  countShown(deps, shown);
}

async function showPointList(ctx: RegisteredContext, deps: DirectoryDeps, point: Point, need: NeedFilter): Promise<void> {
  const ranked = nearest(deps.directory, point, { need: needOf(need), citizenship: ctx.user.citizenship, limit: LIST_SIZE });
  // The nearest city's country stands for where the user is (for the phone lines offered).
  const country = nearestCity(deps.directory, point)?.country;
  const { text, keyboard, shown } = listScreen(ctx, deps, { ranked, need, country, heading: ctx.t("directory.nearYou") });
  await ctx.reply(text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, reply_markup: keyboard });
  countShown(deps, shown);
}

function countShown({ counts, logger }: DirectoryDeps, serviceIds: string[]): void {
  void counts.shown(serviceIds).catch((error: unknown) => logger.warn({ err: error }, "directory counts not saved"));
}

interface ListInput {
  ranked: Ranked[];
  need: NeedFilter;
  /** The city the list is for (none for a shared location). */
  city?: City;
  /** The country the person is in (the city's, or the nearest city's to a location). */
  country?: string;
  /** HTML (i18next has escaped the city name). */
  heading: string;
}

/**
 * A list: the nearest services (numbered cards), the phone lines that work from anywhere in that
 * country, the hotline; buttons to open each place on a map (or send it as a venue), to filter,
 * to use the location or another city.
 */
function listScreen(
  ctx: RegisteredContext,
  deps: DirectoryDeps,
  { ranked, need, city, heading, ...place }: ListInput,
): { text: string; keyboard: InlineKeyboard; shown: string[] } {
  const { directory, hotline } = deps;
  const cards = ranked.map(
    (entry, index) =>
      `<b>${index + 1}.</b> ${serviceCard(ctx.t, ctx.locale, directory, entry.service, { ranked: entry, nearCity: city?.key, hotline: hotline.schedule })}`,
  );
  const country = city?.country ?? place.country;
  const listed = new Set(ranked.map((entry) => entry.service.id));
  const byPhone = directory.services.filter(
    (service) =>
      service.remote &&
      service.country === country &&
      !listed.has(service.id) &&
      !service.phones?.some((phone) => phone.number === hotline.phone) &&
      matchesNeed(service, needOf(need)) &&
      servesCitizen(service, ctx.user.citizenship),
  );
  const phoneLines = byPhone.map(
    (service) =>
      `• ${escapeHtml(service.name[ctx.locale])}: ${(service.phones ?? []).map((phone) => (phone.whatsapp ? `WhatsApp ${phone.display}` : phone.display)).join(" · ")}`,
  );
  const leftOut = directory.services.some((service) => matchesNeed(service, needOf(need)) && !servesCitizen(service, ctx.user.citizenship));
  const filterLine = need === "all" ? undefined : `<i>${ctx.t("directory.showing", { need: ctx.t(`directory.need.${need}`) })}</i>`;
  const text = [
    `📍 <b>${ctx.t("directory.title")}</b> · ${heading}`,
    filterLine,
    cards.length > 0 ? cards.join("\n\n") : ctx.t("directory.none"),
    phoneLines.length > 0 ? `<b>${ctx.t("directory.byPhone")}</b>\n${phoneLines.join("\n")}` : undefined,
    leftOut && ctx.user.citizenship && ctx.user.citizenship !== "other" ? ctx.t("directory.ownEmbassy") : undefined,
    ctx.t("directory.hotline", { phone: hotline.phoneDisplay }),
  ]
    .filter((line) => line !== undefined)
    .join("\n\n");

  const keyboard = new InlineKeyboard();
  ranked.forEach((entry, index) => {
    placeButton(ctx, keyboard, entry.service, index + 1);
  });
  keyboard.row();
  const filters = NEED_FILTERS.filter(
    (filter) => filter === "all" || directory.services.some((service) => KINDS_OF_NEED[filter].includes(service.kind)),
  );
  filters.forEach((filter, index) => {
    const label = `${filter === need ? "✅ " : ""}${ctx.t(filter === "all" ? "directory.allKinds" : `directory.need.${filter}`)}`;
    keyboard.text(
      label,
      city ? directoryButton.list.pack({ city: city.key, need: filter }) : directoryButton.nearMe.pack({ need: filter }),
    );
    if (index % 2 === 1) keyboard.row();
  });
  keyboard
    .row()
    .text(ctx.t("directory.nearMe"), directoryButton.nearMe.pack({ need }))
    .text(ctx.t("directory.otherCity"), directoryButton.cities.pack({ need }))
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  return { text, keyboard, shown: [...listed, ...byPhone.map((service) => service.id)] };
}

/** "📍 1. Send the place" for a service whose building is known, else "🗺 1. Map" searching its address. */
function placeButton(ctx: RegisteredContext, keyboard: InlineKeyboard, service: Service, number: number): void {
  if (service.location) keyboard.text(ctx.t("directory.sendPlace", { number }), directoryButton.venue.pack({ id: service.id }));
  else {
    const url = mapSearchUrl(service);
    if (url) keyboard.url(ctx.t("directory.onMap", { number }), url);
  }
}

/**
 * The buttons under a service sent to a client (a lawyer's referral): the place on a map or as a
 * venue, and the directory. Exported for the staff group's /refer.
 */
export function serviceKeyboard(t: RegisteredContext["t"], service: Service): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (service.location) keyboard.text(t("directory.sendThisPlace"), directoryButton.venue.pack({ id: service.id })).row();
  else {
    const url = mapSearchUrl(service);
    if (url) keyboard.url(t("directory.thisOnMap"), url).row();
  }
  return keyboard.text(t("menu.directory"), directoryButton.open.pack()).row().text(t("menu.home"), callback.menu.pack());
}
