/**
 * Typed callback data: each button's data is declared once, as a prefix and typed fields, and
 * both built (`pack`) and read (`unpack`, `trigger`) from that declaration. Telegram allows 64
 * bytes of data per button: `pack` refuses more. Values are validated when read, never trusted.
 */

/** How one field is written into the data and read back. */
export interface FieldCodec<T> {
  /** A regular expression source matching exactly the written form (no groups). */
  readonly pattern: string;
  parse(text: string): T;
  format(value: T): string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const field = {
  /** Lowercase ids from data files: "registration-deadline". */
  slug: { pattern: "[a-z0-9-]{1,48}", parse: (text) => text, format: (value) => value } satisfies FieldCodec<string>,
  /** A whole number, also negative ("-5"). */
  int: { pattern: "-?\\d{1,10}", parse: Number, format: String } satisfies FieldCodec<number>,
  /** Yes or no, written "y" / "n". */
  bool: { pattern: "[yn]", parse: (text) => text === "y", format: (value) => (value ? "y" : "n") } satisfies FieldCodec<boolean>,
  /** One of a fixed list of words. */
  oneOf<T extends string>(values: readonly T[]): FieldCodec<T> {
    return { pattern: `(?:${values.map(escapeRegExp).join("|")})`, parse: (text) => text as T, format: (value) => value };
  },
};

type Fields = Record<string, FieldCodec<unknown>>;
export type ValuesOf<F extends Fields> = { [K in keyof F]: F[K] extends FieldCodec<infer T> ? T : never };

/** Telegram's limit for a button's callback_data. */
export const CALLBACK_DATA_MAX_BYTES = 64;

export interface CallbackData<F extends Fields> {
  readonly prefix: string;
  /** Matches exactly the data this declaration packs (for grammY's `callbackQuery`). */
  readonly trigger: RegExp;
  /** The data for a button with these values (none for a button without fields). */
  pack(...values: Record<never, never> extends ValuesOf<F> ? [values?: ValuesOf<F>] : [values: ValuesOf<F>]): string;
  /** The values in `data`, or undefined when `data` is not this button's. */
  unpack(data: string | undefined): ValuesOf<F> | undefined;
}

/** Declares a button's data: `prefix:field1:field2…` (or just `prefix` without fields). */
export function callbackData<F extends Fields = Record<never, never>>(prefix: string, fields: F = {} as F): CallbackData<F> {
  const names = Object.keys(fields) as (keyof F & string)[];
  const trigger = new RegExp(`^${escapeRegExp(prefix)}${names.map((name) => `:(${fields[name]!.pattern})`).join("")}$`);
  return {
    prefix,
    trigger,
    pack(...args) {
      const values = (args[0] ?? {}) as ValuesOf<F>;
      const data = [prefix, ...names.map((name) => fields[name]!.format(values[name]))].join(":");
      if (!trigger.test(data))
        throw new Error(`Callback data "${data}" does not fit its declaration "${prefix}": check the values passed to pack().`);
      if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) {
        throw new Error(
          `Callback data "${data}" is longer than Telegram's ${CALLBACK_DATA_MAX_BYTES} bytes: shorten the prefix "${prefix}" or the values.`,
        );
      }
      return data;
    },
    unpack(data) {
      const match = data === undefined ? null : trigger.exec(data);
      if (!match) return undefined;
      return Object.fromEntries(names.map((name, index) => [name, fields[name]!.parse(match[index + 1]!)])) as ValuesOf<F>;
    },
  };
}

/** Any data that starts with `prefix:` — for buttons of a finished dialog pressed later. */
export function prefixTrigger(prefix: string): RegExp {
  return new RegExp(`^${escapeRegExp(prefix)}:`);
}
