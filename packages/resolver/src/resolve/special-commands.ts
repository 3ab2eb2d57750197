// Setup and wrap-up commands (spec 1.9, 3.11, 3.13): found in the registry by image reference,
// run with the parent's command-line values and environment, on `/input` and `/output`.
import type { Command } from "@xcs/command-schema";
import { ResolutionError } from "./errors.js";
import type { Quirks } from "./quirks.js";
import type { CommandRegistry } from "./registry.js";
import { resolvedCommand } from "./resolved-command.js";
import type { JsonPathTargets } from "./templates.js";
import { containerNameOf, resolveTemplate, templatedMap, type ValueMap } from "./templates.js";
import type { ResolvedCommand, ResolvedMount } from "./types.js";

export interface SpecialCommandRun {
  reference: string;
  expectedType: "docker-setup" | "docker-wrapup";
  input: ResolvedMount;
  output: ResolvedMount;
  parentSourceObjectName: string;
}

export interface ParentValues {
  registry: CommandRegistry | undefined;
  commandLineMap: ValueMap;
  valueMap: ValueMap;
  environment: Record<string, string>;
  targets: JsonPathTargets;
  quirks: Quirks;
}

export function findSpecialCommand(
  reference: string,
  expectedType: SpecialCommandRun["expectedType"],
  registry: CommandRegistry | undefined,
): Command {
  const command = registry?.byReference(reference);
  if (command === undefined) {
    throw new ResolutionError(`Could not find a command for image ${reference}.`);
  }
  if (command.type !== expectedType) {
    throw new ResolutionError(
      `Command ${command.name} from image ${reference} has type ${command.type}, but I expected it to have type ${expectedType}.`,
    );
  }
  return command;
}

export function resolveSpecialCommand(
  run: SpecialCommandRun,
  parent: ParentValues,
): ResolvedCommand {
  const command = findSpecialCommand(run.reference, run.expectedType, parent.registry);
  const template = (text: string, map: ValueMap) =>
    resolveTemplate(text, map, parent.targets, parent.quirks);
  // Names and labels use the parent's values, as in XCS.
  const withParentValues = (text: string) => template(text, parent.valueMap);
  return resolvedCommand(command, {
    wrapperId: 0,
    wrapperName: "",
    wrapperDescription: null,
    commandLine: template(command.commandLine ?? "", parent.commandLineMap),
    overrideEntrypoint: false,
    rawInputValues: {},
    environmentVariables: { ...parent.environment },
    ports: {},
    mounts: [run.input, run.output],
    outputs: [],
    workingDirectory: command.workingDirectory,
    containerName: containerNameOf(command.containerName, withParentValues),
    containerLabels: templatedMap(command.containerLabels ?? {}, withParentValues),
    secrets: [],
    parentSourceObjectName: run.parentSourceObjectName,
    setupCommands: [],
    wrapupCommands: [],
    externalWrapperInputValues: [],
    derivedInputValues: [],
    commandInputValues: [],
    inputTree: [],
  });
}
