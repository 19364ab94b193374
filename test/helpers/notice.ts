import type { Person } from "./harness.js";

/** The admin's /broadcast dialog up to the preview: an English text with a bold word, a Russian version, to `audience`. */
export async function composeNotice(admin: Person, audience: string[] = ["bc:all"]): Promise<void> {
  await admin.send("/broadcast");
  await admin.send("Hotline closed on 31 December", { entities: [{ type: "bold", offset: 0, length: 7 }] });
  await admin.press("bc:en");
  await admin.press("bc:ru");
  await admin.send("Hotline: 31 декабря линия закрыта");
  await admin.press("bc:done");
  await admin.press("bc:en");
  for (const step of audience) await admin.press(step);
}
