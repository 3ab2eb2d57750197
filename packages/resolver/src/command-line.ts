// How XCS turns a command input's value into command-line text (spec 3.8): boolean mapping to
// true/false values, the flag and separator, and the formats of several values (a `multiple`
// derived input, or a select-many value given as a JSON list).
import { type CommandInput, isBlank, javaList, readJsonStringList } from "@xcs/command-schema";

/** The fields of a command input that shape its command-line text. */
export type FormattedInput = Pick<
  CommandInput,
  | "type"
  | "commandLineFlag"
  | "commandLineSeparator"
  | "trueValue"
  | "falseValue"
  | "multipleDelimiter"
>;

/**
 * The value after the boolean mapping: for a `boolean` input, `"true"` (any case) becomes the
 * true-value and anything else, null included, the false-value (each when set).
 */
export function resolvedInputValue(input: FormattedInput, value: string | null): string | null {
  if (input.type !== "boolean") return value;
  const isTrue = value !== null && value.toLowerCase() === "true";
  return (isTrue ? input.trueValue : input.falseValue) ?? value;
}

/** The text that replaces the input's key in the command line, for one resolved value. */
export function commandLineFragment(input: FormattedInput, resolved: string | null): string {
  if (resolved === null || isBlank(resolved)) return "";
  if (input.type === "select-many") {
    const list = readJsonStringList(resolved);
    // A null in the list makes XCS format the value as one string.
    if (list !== undefined && !list.includes(null))
      return multipleFragment(input, list as string[]);
  }
  const flag = input.commandLineFlag;
  if (flag === null || isBlank(flag)) return resolved;
  return `${flag}${input.commandLineSeparator ?? " "}${resolved}`;
}

const orIfBlank = (text: string | null, fallback: string) =>
  text === null || isBlank(text) ? fallback : text;

/** The command-line text of several values (blank ones dropped first). */
export function multipleFragment(input: FormattedInput, values: readonly string[]): string {
  const list = values.filter((value) => !isBlank(value));
  if (list.length === 0) return "";
  // Each part defaults to a space, and a prefix that is then blank is dropped: a separator
  // without a flag gives " =" (as XCS does).
  const prefix = orIfBlank(
    orIfBlank(input.commandLineFlag, " ") + orIfBlank(input.commandLineSeparator, " "),
    "",
  );
  switch (input.multipleDelimiter) {
    case "comma":
      return prefix + list.join(",");
    case "quoted-space":
      return `${prefix}'${list.join(" ")}'`;
    case "flag":
      return prefix + list.join(` ${prefix}`);
    default:
      return prefix + list.join(" ");
  }
}

/** How one value of a command input appears. */
export interface SingleValueText {
  /** After the boolean mapping: what other templates see. */
  readonly resolvedValue: string | null;
  /** What replaces the input's key in the command line. */
  readonly fragment: string;
}

/** How several values of a command input appear (blank values are dropped first). */
export interface MultipleValueText {
  readonly fragment: string;
  /** What other templates see: Java's `List.toString()`, `[a, b]`. */
  readonly valueMapValue: string;
  /** The value XCS reports for the command input: the values joined by spaces. */
  readonly reportedValue: string;
}

export function formatSingleValue(input: FormattedInput, value: string | null): SingleValueText {
  const resolvedValue = resolvedInputValue(input, value);
  return { resolvedValue, fragment: commandLineFragment(input, resolvedValue) };
}

export function formatMultipleValues(
  input: FormattedInput,
  values: readonly string[],
): MultipleValueText {
  const list = values.filter((value) => !isBlank(value));
  return {
    fragment: multipleFragment(input, list),
    valueMapValue: javaList(list),
    reportedValue: list.join(" "),
  };
}
