import type { Translate } from "../i18n.js";
import type { UserStore } from "../users/store.js";
import { idOfReference, referenceOf } from "./domain.js";
import type { RequestStore } from "./store.js";

/**
 * /ban A-1042 and /unban A-1042, for lawyers (in the staff group) and admins: the user behind
 * a request is identified by its reference only, never by name or id. Resolves to the answer.
 */
export async function setBannedByReference(
  requests: RequestStore,
  users: UserStore,
  t: Translate,
  argument: string,
  banned: boolean,
): Promise<string> {
  const id = idOfReference(argument);
  if (id === undefined) return t("staff.banUsage");
  const reference = referenceOf(id);
  const request = await requests.find(id);
  if (!request?.user) return t("staff.banUnknown", { reference });
  await users.update(request.user, { banned });
  return t(banned ? "staff.banned" : "staff.unbanned", { reference });
}
