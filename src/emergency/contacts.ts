import { z } from "zod";
import { ContentError, readJson } from "../shared/data-file.js";
import { projectPath } from "../shared/paths.js";
import { formatZodIssues } from "../shared/zod.js";

export const emergencyConfigPath = () => projectPath("config/emergency.json");

const emergencySchema = z.object({
  reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  contacts: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      number: z.string().regex(/^\+?[\d ]{3,20}$/),
      source: z.string().min(3),
      needsReview: z.boolean(),
    }),
  ),
});

export type EmergencyContacts = z.infer<typeof emergencySchema>;

export function loadEmergencyContacts(path = emergencyConfigPath()): EmergencyContacts {
  const parsed = emergencySchema.safeParse(readJson(path));
  if (!parsed.success) {
    throw new ContentError(`${path} is invalid: ${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
