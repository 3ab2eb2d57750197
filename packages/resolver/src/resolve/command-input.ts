// The value of a command input (spec 3.6): default, then the user's value, then the value of the
// wrapper input that provides it; `^...^` evaluated; booleans mapped to their true/false values.
import { resolvedInputValue } from "../command-line.js";
import type { ResolutionContext } from "./context.js";
import { checkIllegalValue } from "./errors.js";
import { substituteJsonPath } from "./templates.js";
import type { InputNode } from "./tree.js";
import type { ResolvedValue, ValueOrigin } from "./types.js";

export function commandInputValue(
  node: InputNode & { kind: "command" },
  provider: { name: string; value: ResolvedValue } | undefined,
  context: ResolutionContext,
): ResolvedValue {
  const input = node.input;
  let value = input.defaultValue;
  let origin: ValueOrigin = { from: value === null ? "none" : "default" };
  const given = context.inputs[input.name];
  if (given !== undefined && given !== null) {
    value = given;
    origin = { from: "user" };
  }
  // The provider wins over the user, as in XCS.
  if (provider !== undefined && provider.value.value !== null) {
    value = provider.value.value;
    origin = { from: "provider", input: provider.name };
  }
  if (value !== null) value = substituteJsonPath(value, context.targets);
  value = resolvedInputValue(input, value);
  checkIllegalValue(input.name, value);
  return { type: input.type, value, valueLabel: value, origin };
}
