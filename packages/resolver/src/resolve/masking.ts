// Masking: the values of sensitive inputs are hidden wherever they appear in a plan (the
// command line, the environment, setup commands, explanations), not only in the value lists.
import type { ResolvedCommand, ResolvedInput } from "./types.js";

export const MASK = "****";

/**
 * The values of sensitive inputs, of this command and of its setup and wrap-up commands, longest
 * first. A command input a sensitive wrapper input provides gets the same value, so masking the
 * values (not only the inputs marked sensitive) hides it wherever it is used.
 */
export function sensitiveValues(resolved: ResolvedCommand): string[] {
  const found = new Set<string>();
  const add = (value: string | null) => {
    if (value !== null && value !== "" && value !== "null") found.add(value);
  };
  const walkTrees = (trees: readonly ResolvedInput[]) => {
    for (const tree of trees) {
      for (const { value, children } of tree.values) {
        if (tree.sensitive) add(value.value);
        walkTrees(children);
      }
    }
  };
  const walk = (command: ResolvedCommand) => {
    for (const list of [
      command.externalWrapperInputValues,
      command.derivedInputValues,
      command.commandInputValues,
    ]) {
      for (const value of list) if (value.sensitive) add(value.value);
    }
    walkTrees(command.inputTree);
    for (const each of [...command.setupCommands, ...command.wrapupCommands]) walk(each);
  };
  walk(resolved);
  return [...found].sort((a, b) => b.length - a.length);
}

function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}

/** `value` (text or JSON) with every occurrence of the secrets replaced by the mask. */
export function maskSensitive<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return maskText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((each) => maskSensitive(each, secrets)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, each]) => [key, maskSensitive(each, secrets)]),
    ) as T;
  }
  return value;
}
