import type { UserFromGetMe } from "grammy/types";

/**
 * Who is in the sandbox: the bot, the lawyers' staff group with its members, the NGO's admin and
 * the migrants (one at the start; the page adds more). Ids are made up and far from real ones.
 */

/** The bot's token in the sandbox: the server answers 401 to any other (it is not a Telegram token). */
export const SANDBOX_TOKEN = "1000000001:sandbox";

export const SANDBOX_BOT: UserFromGetMe = {
  id: 1000000001,
  is_bot: true,
  first_name: "Hamroh",
  username: "hamroh_sandbox_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** The lawyers' supergroup (STAFF_CHAT_ID in the demo). */
export const SANDBOX_GROUP = { id: -1001000000042, title: "Hamroh lawyers" };

export type Role = "migrant" | "lawyer" | "member" | "admin";

export interface SandboxUser {
  id: number;
  first_name: string;
  last_name?: string;
  /** The Telegram app's language, sent with every update (the bot suggests it). */
  language_code?: string;
  /** What "share my number" sends. */
  phone_number: string;
  role: Role;
}

/** The NGO's admin (ADMIN_IDS in the demo). */
export const SANDBOX_ADMIN: SandboxUser = {
  id: 900001,
  first_name: "Nigina",
  last_name: "(admin)",
  language_code: "en",
  phone_number: "+992900000001",
  role: "admin",
};

/** The staff group's people: the creator and an administrator are lawyers; a plain member is not. */
export const SANDBOX_STAFF: { user: SandboxUser; status: "creator" | "administrator" | "member" }[] = [
  { user: { id: 700001, first_name: "Dilnoza", language_code: "ru", phone_number: "+992900000101", role: "lawyer" }, status: "creator" },
  {
    user: { id: 700002, first_name: "Farrukh", language_code: "ru", phone_number: "+992900000102", role: "lawyer" },
    status: "administrator",
  },
  {
    user: {
      id: 700003,
      first_name: "Sitora",
      last_name: "(volunteer)",
      language_code: "ru",
      phone_number: "+992900000103",
      role: "member",
    },
    status: "member",
  },
];

const MIGRANT_NAMES = ["Rustam", "Zarina", "Bakhtiyor", "Gulnora", "Aziz", "Malika", "Jamshed", "Madina", "Umed", "Parvina"];

/** The n-th migrant (0 first): a name, an id, a Russian mobile number. */
export function migrant(n: number, languageCode?: string): SandboxUser {
  const name = MIGRANT_NAMES[n % MIGRANT_NAMES.length]!;
  const round = Math.floor(n / MIGRANT_NAMES.length);
  return {
    id: 100001 + n,
    first_name: round > 0 ? `${name} ${round + 1}` : name,
    ...(languageCode ? { language_code: languageCode } : {}),
    phone_number: `+7900${String(10000001 + n).slice(1)}`,
    role: "migrant",
  };
}
