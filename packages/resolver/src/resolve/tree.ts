// The pre-resolved input forest (spec 3.2): external inputs are roots, derived inputs hang under
// the input they derive from, and each command input under the wrapper input that provides its
// value (else it is a root of its own).
import type {
  CommandInput,
  CommandWrapper,
  DerivedInput,
  ExternalInput,
} from "@xcs/command-schema";
import { isBlank } from "@xcs/command-schema";
import { ResolutionError } from "./errors.js";
import type { ValueMap } from "./templates.js";

export type InputNode =
  | { kind: "external"; name: string; key: string; input: ExternalInput; children: InputNode[] }
  | { kind: "derived"; name: string; key: string; input: DerivedInput; children: InputNode[] }
  | { kind: "command"; name: string; key: string; input: CommandInput; children: InputNode[] };

/** The key an input's value replaces in templates: its `replacement-key`, else `#name#`. */
export function replacementKey(input: { name: string; replacementKey: string | null }): string {
  return isBlank(input.replacementKey) ? `#${input.name}#` : (input.replacementKey as string);
}

/**
 * The roots of the forest, in XCS's order. Command inputs whose provider is optional get ""
 * in the command-line map first, so that their key disappears when the provider finds nothing.
 */
export function buildInputForest(
  inputs: readonly CommandInput[],
  wrapper: CommandWrapper,
  commandLineMap: ValueMap,
): InputNode[] {
  const roots: InputNode[] = [];
  const wrapperNodes = new Map<string, InputNode>();
  const providers = new Map<string, InputNode & { kind: "external" | "derived" }>();

  for (const input of wrapper.externalInputs) {
    const node: InputNode = {
      kind: "external",
      name: input.name,
      key: replacementKey(input),
      input,
      children: [],
    };
    roots.push(node);
    if (!wrapperNodes.has(input.name)) wrapperNodes.set(input.name, node);
    if (input.providesValueForCommandInput !== null) {
      providers.set(input.providesValueForCommandInput, node);
    }
  }
  for (const input of wrapper.derivedInputs) {
    const parentName = input.derivedFromWrapperInput;
    if (parentName === null || isBlank(parentName)) {
      throw new ResolutionError(`Derived input "${input.name}" needs a parent.`, {
        input: input.name,
      });
    }
    const parent = wrapperNodes.get(parentName);
    if (parent === undefined) {
      throw new ResolutionError(
        `Derived input "${input.name}" claims parent "${parentName}", but I couldn't find "${parentName}". Are the inputs out of order?`,
        { input: input.name },
      );
    }
    const node: InputNode = {
      kind: "derived",
      name: input.name,
      key: replacementKey(input),
      input,
      children: [],
    };
    parent.children.push(node);
    if (!wrapperNodes.has(input.name)) wrapperNodes.set(input.name, node);
    if (input.providesValueForCommandInput !== null) {
      providers.set(input.providesValueForCommandInput, node);
    }
  }
  for (const input of inputs) {
    const node: InputNode = {
      kind: "command",
      name: input.name,
      key: replacementKey(input),
      input,
      children: [],
    };
    const provider = providers.get(input.name);
    if (provider === undefined) {
      roots.push(node);
      continue;
    }
    provider.children.push(node);
    if (!provider.input.required) commandLineMap.set(node.key, "");
  }
  return roots;
}
