// Outputs (spec 3.12): every command output goes to the handlers that accept it; each handler
// uploads into an input's object or into the object an earlier Assessor/Scan handler creates.
import type { CommandOutput, CommandWrapper, OutputHandler } from "@xcs/command-schema";
import { ResolutionError } from "./errors.js";
import type { ResolvedInput, ResolvedOutput } from "./types.js";

export function resolveOutputs(
  outputs: readonly CommandOutput[],
  wrapper: CommandWrapper,
  trees: readonly ResolvedInput[],
  template: (text: string) => string,
): ResolvedOutput[] {
  const unique = uniqueInputs(trees);
  const handlers = wrapper.outputHandlers;
  const resolved = new Map<OutputHandler, ResolvedOutput>();
  for (const output of outputs) {
    const accepting = handlers.filter((handler) => handler.acceptsCommandOutput === output.name);
    if (accepting.length === 0) {
      throw new ResolutionError(
        `No wrapper output handler was configured to handle command output "${output.name}".`,
      );
    }
    for (const handler of accepting) {
      const problem = targetProblem(output, handler, handlers, unique);
      if (problem !== undefined) {
        if (output.required === true) throw new ResolutionError(problem);
        continue;
      }
      resolved.set(handler, {
        name: `${output.name}:${handler.name}`,
        fromCommandOutput: output.name ?? "",
        fromOutputHandler: handler.name ?? "",
        type: handler.type,
        required: output.required === true,
        mount: output.mount,
        path: output.path === null ? null : template(output.path),
        glob: output.glob,
        label: handler.label === null ? null : template(handler.label),
        format: handler.format === null ? null : template(handler.format),
        description: handler.description === null ? null : template(handler.description),
        content: handler.content === null ? null : template(handler.content),
        tags: handler.tags.map(template),
        xsiType: handler.xsiType,
        handledBy: handler.asAChildOf ?? "",
        viaWrapupCommand: handler.viaWrapupCommand,
      });
    }
  }
  // XCS lists outputs in handler order, and a handler left without an output is an error.
  return handlers.map((handler) => {
    const output = resolved.get(handler);
    if (output === undefined) {
      throw new ResolutionError(
        `Command wrapper output handler "${handler.name}" has no resolved output to handle.`,
      );
    }
    return output;
  });
}

/** Why the handler's target cannot take the output, or undefined when it can. */
function targetProblem(
  output: CommandOutput,
  handler: OutputHandler,
  handlers: readonly OutputHandler[],
  unique: ReadonlyMap<string, ResolvedInput>,
): string | undefined {
  const targetName = handler.asAChildOf ?? "";
  const input = unique.get(targetName);
  if (input !== undefined) {
    if (input.values[0]?.value.object === undefined) {
      return `Cannot resolve output "${output.name}". Input "${targetName}" is supposed to handle the output, but it does not have an XNAT object value.`;
    }
    return undefined;
  }
  const target = handlers.find((other) => other.name === targetName && other !== handler);
  if (target === undefined) {
    return `Cannot resolve output "${output.name}". The handler says the output is supposed to be handled by "${targetName}", but either that isn't an input, or an output, or maybe the input does not have a uniquely resolved value.`;
  }
  if (handler.type !== "Resource" || (target.type !== "Assessor" && target.type !== "Scan")) {
    return `Cannot resolve handler "${handler.name}". Handler "${handler.name}" has type "${handler.type}"; target handler "${targetName}" has type "${target.type}". Handler "${handler.name}" must be type Resource, target handler "${targetName}" needs to be type Assessor OR Scan.`;
  }
  return undefined;
}

/** Wrapper inputs reached through unique values that have exactly one value themselves. */
function uniqueInputs(trees: readonly ResolvedInput[]): Map<string, ResolvedInput> {
  const found = new Map<string, ResolvedInput>();
  const visit = (tree: ResolvedInput) => {
    if (tree.values.length !== 1) return;
    if (tree.kind !== "command") found.set(tree.name, tree);
    tree.values[0]?.children.forEach(visit);
  };
  trees.forEach(visit);
  return found;
}
