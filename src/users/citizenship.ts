/**
 * Citizenship groups whose rules in Russia differ. "patent": citizens of Tajikistan and
 * Uzbekistan (work patent, language exam, 15 days to register). "eaeu": citizens of Kyrgyzstan
 * and Kazakhstan, members of the Eurasian Economic Union (no patent, no language exam, work on a
 * labour contract, 30 days to register).
 */
export const CITIZENSHIP_GROUPS = ["patent", "eaeu"] as const;
export type CitizenshipGroup = (typeof CITIZENSHIP_GROUPS)[number];

/** The countries the bot asks about; "other" also stands for "prefer not to say". */
export const CITIZENSHIPS = ["tajikistan", "uzbekistan", "kyrgyzstan", "kazakhstan", "other"] as const;
export type Citizenship = (typeof CITIZENSHIPS)[number];
export const isCitizenship = (value: unknown): value is Citizenship => (CITIZENSHIPS as readonly unknown[]).includes(value);

const GROUP_OF: Record<Citizenship, CitizenshipGroup | undefined> = {
  tajikistan: "patent",
  uzbekistan: "patent",
  kyrgyzstan: "eaeu",
  kazakhstan: "eaeu",
  other: undefined,
};

/** The rules group of a citizenship; unknown, "other" or skipped → undefined (the general answer). */
export function citizenshipGroupOf(country: Citizenship | null | undefined): CitizenshipGroup | undefined {
  return country ? GROUP_OF[country] : undefined;
}
