import type { ChatMember } from "grammy/types";

/**
 * What the bot needs in the lawyers' staff group: to be an administrator (to see the lawyers'
 * replies), to delete messages (erasure needs it) and, when the group has topics, to manage them
 * (a topic per request).
 */
export type StaffRight = "administrator" | "delete-messages" | "manage-topics";

/** The rights the bot still lacks, given its membership in the group and whether topics are on. */
export function missingStaffRights(
  member: Pick<ChatMember, "status"> & { can_delete_messages?: boolean; can_manage_topics?: boolean },
  topics: boolean,
): StaffRight[] {
  if (member.status === "creator") return [];
  const missing: StaffRight[] = [];
  if (member.status !== "administrator") missing.push("administrator");
  if (member.status !== "administrator" || !member.can_delete_messages) missing.push("delete-messages");
  if (topics && (member.status !== "administrator" || !member.can_manage_topics)) missing.push("manage-topics");
  return missing;
}

/** The rights as the README and Telegram's settings name them. */
export const RIGHT_NAMES: Record<StaffRight, string> = {
  administrator: "administrator",
  "delete-messages": "Delete messages",
  "manage-topics": "Manage topics",
};

/**
 * Which admin alert a lack of rights raises (see AdminAlerts), with the values for its message:
 * the i18next context `delete` or `topics` when only that right is missing (none: both are).
 */
export function staffRightsAlert(
  missing: StaffRight[],
): { alert: "staff-not-admin" | "staff-missing-rights"; values: Record<string, string> } | undefined {
  if (missing.length === 0) return undefined;
  if (missing.includes("administrator")) return { alert: "staff-not-admin", values: {} };
  const onlyOne = missing.length === 1 ? (missing[0] === "delete-messages" ? "delete" : "topics") : undefined;
  return { alert: "staff-missing-rights", values: onlyOne ? { context: onlyOne } : {} };
}
