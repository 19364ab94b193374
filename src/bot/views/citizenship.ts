import { InlineKeyboard } from "grammy";
import { CITIZENSHIPS, type Citizenship } from "../../users/citizenship.js";
import type { RegisteredContext } from "../context.js";

/** The citizenship buttons, two per row; `data` says what each press does. */
export function citizenshipButtons(ctx: RegisteredContext, data: (citizenship: Citizenship) => string): InlineKeyboard {
  const buttons = CITIZENSHIPS.map((citizenship) => InlineKeyboard.text(ctx.t(`citizenship.${citizenship}`), data(citizenship)));
  return InlineKeyboard.from([buttons.slice(0, 2), buttons.slice(2, 4), buttons.slice(4)]);
}

/** What the user reads once their citizenship is saved. */
export function citizenshipSaved(ctx: RegisteredContext, citizenship: Citizenship): string {
  return citizenship === "other"
    ? ctx.t("citizenship.savedOther")
    : ctx.t("citizenship.saved", { country: ctx.t(`citizenship.name.${citizenship}`) });
}
