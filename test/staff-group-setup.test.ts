import { describe, expect, it } from "vitest";
import { botInfo } from "./helpers/fake-telegram.js";
import { ADMIN_ID, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";

const GROUP_ID = -1002000000002;
const STRANGER_ID = 5151;
const bot = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };
const person = (id: number) => ({ id, is_bot: false, first_name: "Someone" });

type Membership =
  | { status: "member" | "left" | "kicked" }
  | { status: "administrator"; can_delete_messages: boolean; can_manage_topics?: boolean };

/** The bot's membership in a group changed (added, promoted …), by `by`. */
function membershipChanged(
  chat: { id: number; type: "group" | "supergroup"; title: string; is_forum?: true },
  by: number,
  from: Membership["status"],
  to: Membership,
) {
  const member = (membership: Membership) => ({
    user: bot,
    ...(membership.status === "administrator" ? { can_be_edited: false, ...membership } : membership),
  });
  return {
    my_chat_member: {
      chat,
      from: person(by),
      date: 1_790_000_000,
      old_chat_member: member({ status: from } as Membership),
      new_chat_member: member(to),
    },
  } as never;
}

let messageId = 1;
function command(chat: { id: number; type: "group" | "supergroup"; title: string }, by: number, text = "/staffgroup@hamroh_test_bot") {
  return {
    message: {
      message_id: messageId++,
      date: 1_790_000_000,
      chat,
      from: person(by),
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.length }],
    },
  } as never;
}

const group = { id: GROUP_ID, type: "supergroup" as const, title: "Lawyers <NGO>" };
const EVERY_RIGHT: Membership = { status: "administrator", can_delete_messages: true, can_manage_topics: true };

describe("the staff group without curl", () => {
  const h = useHarness();
  const sentTo = (chatId: number) => h.telegram.callsOf("sendMessage").filter((call) => Number(call.payload.chat_id) === chatId);

  it("an admin adds the bot to a group: the admin is told privately the id, the line for .env and the rights still missing", async () => {
    await h.handle(membershipChanged(group, ADMIN_ID, "left", { status: "member" }));
    const [answer, ...more] = sentTo(ADMIN_ID);
    expect(more).toEqual([]);
    expect(answer!.payload.parse_mode).toBe("HTML");
    expect(answer!.payload.text).toBe(
      [
        "👥 Group <b>Lawyers &lt;NGO&gt;</b>\nIts id: <code>-1002000000002</code>",
        "To make it the lawyers' staff group, put this line in .env on the server and restart the bot:\n<code>STAFF_CHAT_ID=-1002000000002</code>",
        "Still missing (group settings → Administrators → the bot):\n• make the bot an administrator, so that it sees the lawyers' replies\n• the right to delete messages: erasing a user's data needs it",
      ].join("\n\n"),
    );
    // Nothing is said in the group.
    expect(sentTo(GROUP_ID)).toEqual([]);

    // Promoted with every right (topics on): told again, now with nothing missing.
    await h.handle(membershipChanged({ ...group, is_forum: true }, ADMIN_ID, "member", EVERY_RIGHT));
    expect(sentTo(ADMIN_ID).at(-1)!.payload.text).toContain(
      "✅ The bot has every right it needs here: it is an administrator and may delete messages and manage topics.",
    );
  });

  it("in the admin's own language", async () => {
    await h.registered(ADMIN_ID, "ru");
    await h.handle(
      membershipChanged({ ...group, is_forum: true }, ADMIN_ID, "left", {
        status: "administrator",
        can_delete_messages: true,
        can_manage_topics: false,
      }),
    );
    const text = sentTo(ADMIN_ID).at(-1)!.payload.text as string;
    expect(text).toContain("Её id: <code>-1002000000002</code>");
    expect(text).toContain("<code>STAFF_CHAT_ID=-1002000000002</code>");
    expect(text).toContain(
      "Ещё не хватает (настройки группы → Администраторы → бот):\n• право управлять темами: у каждого обращения своя тема",
    );
  });

  it("an admin sends /staffgroup in a group: answered privately with the rights the bot has there", async () => {
    h.telegram.memberStatus.set(botInfo.id, "member");
    await h.handle(command(group, ADMIN_ID));
    expect(sentTo(ADMIN_ID).at(-1)!.payload.text).toContain("• make the bot an administrator");
    expect(h.telegram.callsOf("getChatMember").at(-1)!.payload).toMatchObject({ chat_id: GROUP_ID, user_id: botInfo.id });
    expect(sentTo(GROUP_ID)).toEqual([]);
  });

  it("in the staff group itself: it says so instead of the .env line", async () => {
    await h.handle(command({ id: STAFF_CHAT_ID, type: "supergroup", title: "Staff" }, ADMIN_ID));
    const text = sentTo(ADMIN_ID).at(-1)!.payload.text as string;
    expect(text).toContain("This is already the lawyers' staff group (STAFF_CHAT_ID).");
    expect(text).not.toContain("STAFF_CHAT_ID=");
    expect(sentTo(STAFF_CHAT_ID)).toEqual([]);
  });

  it("a basic group: how to make it a supergroup, no id to copy", async () => {
    await h.handle(membershipChanged({ id: -4001234, type: "group", title: "Old group" }, ADMIN_ID, "left", { status: "member" }));
    const text = sentTo(ADMIN_ID).at(-1)!.payload.text as string;
    expect(text).toContain("<b>Old group</b> is a basic group");
    expect(text).toContain("/staffgroup@hamroh_test_bot");
    expect(text).not.toContain("STAFF_CHAT_ID=");
  });

  it("nobody else gets an answer: not someone who is not an admin, in the group or privately", async () => {
    await h.handle(membershipChanged(group, STRANGER_ID, "left", { status: "member" }));
    await h.handle(command(group, STRANGER_ID));
    expect(h.telegram.callsOf("sendMessage")).toEqual([]);
    const stranger = await h.registered(STRANGER_ID, "en");
    const [reply] = await stranger.send("/staffgroup");
    expect(reply?.text ?? "").not.toContain("staffgroup@");
  });

  it("an admin who sends /staffgroup privately is told to send it in the group", async () => {
    await h.handle({
      message: {
        message_id: messageId++,
        date: 1_790_000_000,
        chat: { id: ADMIN_ID, type: "private", first_name: "Admin" },
        from: person(ADMIN_ID),
        text: "/staffgroup",
        entities: [{ type: "bot_command", offset: 0, length: 11 }],
      },
    } as never);
    expect(sentTo(ADMIN_ID).at(-1)!.payload.text).toBe(
      "Send /staffgroup@hamroh_test_bot in the lawyers' group: I will answer you here with its id, the line for .env and the rights I still need there.",
    );
  });

  it("in the staff group, a change that leaves a right missing is told to every admin once, naming the right", async () => {
    const staff = { id: STAFF_CHAT_ID, type: "supergroup" as const, title: "Staff", is_forum: true as const };
    await h.handle(
      membershipChanged(staff, 9999, "administrator", { status: "administrator", can_delete_messages: false, can_manage_topics: true }),
    );
    expect(sentTo(ADMIN_ID).map((call) => call.payload.text)).toEqual([
      "⚠️ Hamroh is an administrator of the lawyers' staff group, but without the right to delete messages: it cannot delete what a user erased. Turn the right on: group settings → Administrators → the bot.",
    ]);
    // Another change that still lacks the right: not told again.
    await h.handle(
      membershipChanged(staff, 9999, "administrator", { status: "administrator", can_delete_messages: false, can_manage_topics: false }),
    );
    expect(sentTo(ADMIN_ID)).toHaveLength(1);
    // Made whole again, then both rights taken away: told again, naming both.
    await h.handle(membershipChanged(staff, 9999, "administrator", EVERY_RIGHT));
    await h.handle(
      membershipChanged(staff, 9999, "administrator", { status: "administrator", can_delete_messages: false, can_manage_topics: false }),
    );
    expect(sentTo(ADMIN_ID)).toHaveLength(2);
    expect(sentTo(ADMIN_ID).at(-1)!.payload.text).toContain("without the rights to delete messages and manage topics");
    expect(sentTo(staff.id)).toEqual([]);
  });
});
