import { broadcastDialogButton } from "../../src/bot/callbacks.js";
import type { Person } from "./harness.js";

/**
 * The admin's /broadcast dialog up to the preview: an English text with a bold word, a Russian
 * version, to `audience` (the choices pressed at the audience steps, e.g. ["language", "ky"]).
 */
export async function composeNotice(admin: Person, audience: string[] = ["all"]): Promise<void> {
  await admin.send("/broadcast");
  await admin.send("Hotline closed on 31 December", { entities: [{ type: "bold", offset: 0, length: 7 }] });
  await admin.press(broadcastDialogButton.choice.pack({ value: "en" }));
  await admin.press(broadcastDialogButton.choice.pack({ value: "ru" }));
  await admin.send("Hotline: 31 декабря линия закрыта");
  await admin.press(broadcastDialogButton.choice.pack({ value: "done" }));
  await admin.press(broadcastDialogButton.choice.pack({ value: "en" }));
  for (const value of audience) await admin.press(broadcastDialogButton.choice.pack({ value }));
}
