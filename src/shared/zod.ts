import type { z } from "zod";

/** "weekly.mon.0.from must be a time" …: one line per problem, each naming its field. */
export function formatZodIssues(error: z.ZodError, separator = "; "): string {
  return error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join(separator);
}
