import { callback, requestDialogButton } from "../../src/bot/callbacks.js";
import type { Topic } from "../../src/requests/domain.js";
import type { Person } from "./harness.js";

export interface RequestAnswers {
  topic?: Topic;
  /** null skips the city. */
  city?: string | null;
  question?: string;
  /** A photo's file id to attach. */
  photo?: string;
  /** A typed phone number for a call back; without it the answer comes in Telegram. */
  phone?: string;
}

export const photoMessage = (fileId: string) => ({ photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 90, height: 90 }] });

/** Answers the "ask a lawyer" dialog up to (not including) the consent step. */
export async function answerRequestDialog(person: Person, answers: RequestAnswers = {}): Promise<void> {
  await person.press(callback.ask.pack());
  await person.press(requestDialogButton.topic.pack({ topic: answers.topic ?? "unpaid-wages" }));
  await person.press(requestDialogButton.country.pack({ country: "russia" }));
  if (answers.city === null) await person.press(requestDialogButton.skip.pack());
  else await person.send(answers.city ?? "Kazan");
  await person.send(answers.question ?? "My employer has not paid me for two months.");
  if (answers.photo) await person.sendOther(photoMessage(answers.photo));
  await person.press(requestDialogButton.continue.pack());
  if (answers.phone) {
    await person.press(requestDialogButton.replyVia.pack({ via: "call" }));
    await person.send(answers.phone);
  } else {
    await person.press(requestDialogButton.replyVia.pack({ via: "telegram" }));
  }
}

/** The whole dialog, consent given and sent; returns the bot's confirmation. */
export async function sendRequest(person: Person, answers: RequestAnswers = {}) {
  await answerRequestDialog(person, answers);
  await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
  const [done] = await person.press(requestDialogButton.send.pack());
  return done!;
}

/**
 * A user with an open request writes to their lawyer: a message that does not reply to the
 * lawyer is asked about once ("to the lawyer, or search?"), and the user picks the lawyer.
 */
export async function writeToLawyer(person: Person, text: string, requestIndex = 0) {
  const screens = await person.send(text);
  const choice = screens
    .at(-1)
    ?.buttons.flat()
    .filter((button) => button.data.startsWith("fu:"));
  return choice && choice.length > 0 ? [...screens, ...(await person.press(choice[requestIndex]!.data))] : screens;
}
