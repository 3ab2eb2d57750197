// Resolving the input forest (spec 3.3): each root depth first, then the unique values collected
// into the value map and the command-line map, then the required-input check.
import { isBlank, javaList, readJsonStringList } from "@xcs/command-schema";
import { commandLineFragment, multipleFragment } from "../command-line.js";
import { commandInputValue } from "./command-input.js";
import type { ResolutionContext } from "./context.js";
import { derivedValues } from "./derived.js";
import { ResolutionError } from "./errors.js";
import { externalValue } from "./external.js";
import type { InputNode } from "./tree.js";
import type { FlatInputValue, ResolvedInput, ResolvedValue } from "./types.js";

/** Resolves every root in order; values of earlier trees are visible to later ones. */
export function resolveForest(
  roots: readonly InputNode[],
  context: ResolutionContext,
): ResolvedInput[] {
  const resolved: ResolvedInput[] = [];
  for (const root of roots) {
    const tree = resolveNode(root, undefined, context);
    // A file input without a value is dropped (its key stays in the command line).
    if (
      root.kind === "command" &&
      root.input.type === "file" &&
      isBlank(tree.values[0]?.value.value ?? null)
    ) {
      if (context.quirks.blankMissingFileInput) context.commandLineMap.set(root.key, "");
      continue;
    }
    collectValues(root, tree, context);
    resolved.push(tree);
  }
  checkRequired(resolved);
  return resolved;
}

function resolveNode(
  node: InputNode,
  parent: { name: string; value: ResolvedValue; sensitive: boolean } | undefined,
  context: ResolutionContext,
): ResolvedInput {
  let values: ResolvedValue[];
  if (node.kind === "external") values = [externalValue(node, context)];
  else if (node.kind === "derived")
    values = parent ? derivedValues(node, parent.value, context) : [];
  else values = [commandInputValue(node, parent, context)];

  const out: ResolvedInput = {
    name: node.name,
    kind: node.kind,
    required: node.input.required,
    // A command input fed by a sensitive wrapper input carries its secret.
    sensitive:
      node.input.sensitive === true || (node.kind === "command" && parent?.sensitive === true),
    replacementKey: node.key,
    multiple: node.kind === "derived" && node.input.multiple,
    values: [],
  };
  for (const value of values) {
    // Every candidate passes through the map; the last one stays (as in XCS).
    context.valueMap.set(node.key, value.value);
    const children = node.children.map((child) =>
      resolveNode(child, { name: node.name, value, sensitive: out.sensitive }, context),
    );
    out.values.push({ value, children });
  }
  return out;
}

const couldNotResolve = (input: InputNode) =>
  `Input "${input.name}" could not be resolved for this item. You might check the JSONPath matchers in command.json and confirm that this item has ${input.input.type} data.`;
const notUnique = (input: InputNode) =>
  `Input "${input.name}"  does not have a unique, resolved value and multiple = true is not set in command.json.`;

/** XCS's `findResolvedValues`: unique values go into the maps, children follow them. */
function collectValues(node: InputNode, tree: ResolvedInput, context: ResolutionContext): void {
  const multiple = node.kind === "derived" && node.input.multiple;
  const asList = multiple && (tree.values.length !== 1 || context.quirks.formatSingleMatchAsList);
  if (tree.values.length === 1 && !asList) {
    const [{ value, children }] = tree.values as [ResolvedInput["values"][number]];
    context.valueMap.set(node.key, value.value ?? "");
    if (node.kind === "command") {
      const raw = value.value ?? "";
      context.commandLineMap.set(node.key, commandLineFragment(node.input, raw));
      const list = node.input.type === "select-many" ? readJsonStringList(raw) : undefined;
      context.lineValues.set(
        node.key,
        list !== undefined && !list.includes(null)
          ? { input: node.input, values: list as string[], list: true }
          : { input: node.input, values: [raw], list: false },
      );
    }
    node.children.forEach((child, index) => {
      collectValues(child, children[index] as ResolvedInput, context);
    });
    return;
  }
  if (multiple) {
    collectMultiple(node, tree, context);
    return;
  }
  if (node.input.required) {
    throw new ResolutionError(tree.values.length === 0 ? couldNotResolve(node) : notUnique(node), {
      input: node.name,
    });
  }
}

/** A `multiple` derived input: each value's one command-input child, formatted as a list. */
function collectMultiple(node: InputNode, tree: ResolvedInput, context: ResolutionContext): void {
  const precisely = `${node.name} must have precisely one command input child element`;
  if (tree.values.length === 0 && node.input.required) {
    throw new ResolutionError(precisely, { input: node.name });
  }
  const provides = node.kind === "derived" ? node.input.providesValueForCommandInput : null;
  const values: string[] = [];
  let commandInput: InputNode | undefined;
  for (const { children } of tree.values) {
    if (children.length !== 1) throw new ResolutionError(precisely, { input: node.name });
    const [child] = children as [ResolvedInput];
    const childNode = node.children[0] as InputNode;
    if (childNode.kind !== "command" || child.name !== provides || childNode.children.length > 0) {
      throw new ResolutionError(
        `Invalid child for ${node.name}; expecting a command input with no children named ${provides}`,
        { input: node.name },
      );
    }
    commandInput = childNode;
    const value = child.values[0]?.value.value ?? null;
    if (value !== null && !isBlank(value)) values.push(value);
  }
  const listText = javaList(values);
  context.valueMap.set(node.key, listText);
  if (commandInput?.kind === "command") {
    context.valueMap.set(commandInput.key, listText);
    context.commandLineMap.set(commandInput.key, multipleFragment(commandInput.input, values));
    context.lineValues.set(commandInput.key, { input: commandInput.input, values, list: true });
  }
}

/** XCS's `findMissingRequiredInputs`: children before parents, through every value. */
function checkRequired(trees: readonly ResolvedInput[]): void {
  const missing: string[] = [];
  const visit = (tree: ResolvedInput) => {
    for (const { children } of tree.values) children.forEach(visit);
    if (
      tree.required &&
      tree.values.length > 0 &&
      tree.values.every(({ value }) => value.value === null)
    ) {
      missing.push(tree.name);
    }
  };
  trees.forEach(visit);
  if (missing.length === 1) {
    throw new ResolutionError(`Missing values for required input: ${missing[0]}.`, {
      input: missing[0],
    });
  }
  if (missing.length > 1) {
    throw new ResolutionError(`Missing values for required inputs: ${missing.join(", ")}.`, {
      input: missing[0],
    });
  }
}

/** XCS's flattened value lists: inputs reached through unique values, multiples joined. */
export function flattenValues(trees: readonly ResolvedInput[]): {
  external: FlatInputValue[];
  derived: FlatInputValue[];
  command: FlatInputValue[];
} {
  const lists = {
    external: [] as FlatInputValue[],
    derived: [] as FlatInputValue[],
    command: [] as FlatInputValue[],
  };
  const type = {
    external: "wrapper-external",
    derived: "wrapper-derived",
    command: "command",
  } as const;
  const add = (tree: ResolvedInput, value: string) =>
    lists[tree.kind].push({
      name: tree.name,
      value,
      type: type[tree.kind],
      sensitive: tree.sensitive,
    });
  const visit = (tree: ResolvedInput) => {
    if (tree.values.length === 1) {
      const [{ value, children }] = tree.values as [ResolvedInput["values"][number]];
      add(tree, value.value ?? "null");
      children.forEach(visit);
      return;
    }
    if (tree.kind === "derived" && tree.values.length !== 1 && tree.multiple) {
      add(tree, tree.values.map(({ value }) => value.value ?? "null").join(", "));
      const childValues = tree.values.map(
        ({ children }) => children[0]?.values[0]?.value.value ?? null,
      );
      const child = tree.values[0]?.children[0];
      if (child !== undefined) {
        add(child, childValues.filter((value): value is string => value !== null).join(" "));
      }
    }
  };
  trees.forEach(visit);
  return lists;
}
