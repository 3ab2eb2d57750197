// The safe argv: input values travel as argv elements of their own instead of being pasted into
// a command line that a shell or the shell splitter reads again. A value "a; rm -rf /" is then
// one argument, so no denylist of characters is needed.
//
// Without override-entrypoint the template is split like XCS splits the line (spec 6) and each
// key is expanded into elements. With it, the template stays a `/bin/sh -c` script in which
// each key becomes a positional parameter ("$1", ...) and the values follow as arguments.
import type { Command, CommandInput } from "@xcs/command-schema";
import { isBlank } from "@xcs/command-schema";
import { shellSplit } from "../shell-split.js";
import type { Quirks } from "./quirks.js";
import {
  type JsonPathTargets,
  keyAlternation,
  substituteJsonPath,
  type ValueMap,
} from "./templates.js";
import type { ResolvedArgv, ResolvedCommand } from "./types.js";

/** A command input's values as the command line receives them. */
export interface CommandLineValue {
  input: Pick<
    CommandInput,
    "commandLineFlag" | "commandLineSeparator" | "multipleDelimiter" | "type"
  > | null;
  values: string[];
  list: boolean;
}

export interface SafeArgvContext {
  /** Key → values of the keys the command line substitutes. */
  lineValues: ReadonlyMap<string, CommandLineValue>;
  lineMapSize: number;
  targets: JsonPathTargets;
  quirks: Quirks;
}

export function safeArgv(
  command: Command,
  resolved: ResolvedCommand,
  context: SafeArgvContext,
): ResolvedArgv | undefined {
  let template = command.commandLine ?? "";
  if (
    !isBlank(template) &&
    (context.lineMapSize > 0 || context.quirks.evaluateJsonPathWithEmptyMap)
  ) {
    template = substituteJsonPath(template, context.targets);
  }
  const keys = [...context.lineValues.keys()].filter((key) => key !== "");
  keys.sort((a, b) => b.length - a.length);
  const elementsOf = (key: string) => argElements(context.lineValues.get(key) as CommandLineValue);
  if (!resolved.overrideEntrypoint) {
    return { entrypoint: null, cmd: splitArgv(template, keys, elementsOf) };
  }
  const script = shellScript(template, keys, elementsOf);
  return script === undefined
    ? undefined
    : { entrypoint: "", cmd: ["/bin/sh", "-c", script.text, "sh", ...script.args] };
}

/** The argv elements of one key's values: the flag, and each value whole. */
export function argElements({ input, values, list }: CommandLineValue): string[] {
  const kept = values.filter((value) => !isBlank(value));
  if (kept.length === 0) return [];
  const flag = input?.commandLineFlag ?? null;
  const separator = input?.commandLineSeparator ?? null;
  if (!list) {
    const [value] = kept as [string];
    if (flag === null || isBlank(flag)) return [value];
    const gap = separator ?? " ";
    return gap !== "" && isBlank(gap) ? [flag, value] : [`${flag}${gap}${value}`];
  }
  const groups =
    input?.multipleDelimiter === "comma"
      ? [kept.join(",")]
      : input?.multipleDelimiter === "quoted-space"
        ? [kept.join(" ")]
        : kept;
  if (flag === null || isBlank(flag)) return groups;
  const withFlag = (value: string) =>
    separator === null || isBlank(separator) ? [flag, value] : [`${flag}${separator}${value}`];
  if (input?.multipleDelimiter === "flag") return groups.flatMap(withFlag);
  const [first, ...rest] = groups as [string, ...string[]];
  return [...withFlag(first), ...rest];
}

function splitArgv(
  template: string,
  keys: readonly string[],
  elementsOf: (key: string) => string[],
): string[] {
  const pattern = keyAlternation(keys);
  return shellSplit(template).flatMap((token) => {
    if (keys.includes(token)) return elementsOf(token);
    if (pattern === undefined) return [token];
    return [token.replace(pattern, (key) => elementsOf(key).join(" "))];
  });
}

/** The template as a script with positional parameters; undefined when a key sits in '...'. */
function shellScript(
  template: string,
  keys: readonly string[],
  elementsOf: (key: string) => string[],
): { text: string; args: string[] } | undefined {
  const args: string[] = [];
  const parameter = (value: string) => {
    args.push(value);
    return `\${${args.length}}`;
  };
  let text = "";
  let quote: "'" | '"' | null = null;
  let index = 0;
  while (index < template.length) {
    const key =
      quote === "'" ? undefined : keys.find((candidate) => template.startsWith(candidate, index));
    if (key !== undefined) {
      const elements = elementsOf(key);
      const end = index + key.length;
      const alone = quote === null && isBoundary(template, index - 1) && isBoundary(template, end);
      if (quote === '"') text += elements.map(parameter).join(" ");
      else if (alone) text += elements.map((element) => `"${parameter(element)}"`).join(" ");
      else text += elements.length === 0 ? "" : `"${parameter(elements.join(" "))}"`;
      index = end;
      continue;
    }
    const char = template[index] as string;
    if (quote === "'" && keys.some((candidate) => template.startsWith(candidate, index)))
      return undefined;
    if (char === "\\" && quote !== "'") {
      text += template.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (char === "'" || char === '"') {
      if (quote === null) quote = char;
      else if (quote === char) quote = null;
    }
    text += char;
    index += 1;
  }
  return { text, args };
}

function isBoundary(text: string, index: number): boolean {
  return index < 0 || index >= text.length || /[\s;&|<>()]/.test(text[index] as string);
}

/** The values of every key the command line substitutes, as `collectValues` left them. */
export function lineValuesOf(
  lineMap: ValueMap,
  commandValues: ReadonlyMap<string, CommandLineValue>,
): Map<string, CommandLineValue> {
  const out = new Map<string, CommandLineValue>();
  for (const [key, value] of lineMap) {
    out.set(
      key,
      commandValues.get(key) ?? { input: null, values: value === null ? [] : [value], list: false },
    );
  }
  return out;
}
