import { idOfReference, referenceOf } from "../requests/domain.js";
import type { Translate } from "../i18n.js";
import type { RuntimeDeps } from "./context.js";

/**
 * /ban A-1042 and /unban A-1042, for lawyers (in the staff group) and admins: the user behind
 * a request is identified by its reference only, never by name or id.
 */
export async function setBannedByReference(deps: RuntimeDeps, t: Translate, argument: string, banned: boolean): Promise<string> {
  const id = idOfReference(argument);
  if (id === undefined) return t("staff.banUsage");
  const reference = referenceOf(id);
  const request = await deps.db.consultationRequest.findUnique({ where: { id }, include: { user: true } });
  if (!request?.user) return t("staff.banUnknown", { reference });
  await deps.users.update(request.user, { banned });
  return t(banned ? "staff.banned" : "staff.unbanned", { reference });
}
