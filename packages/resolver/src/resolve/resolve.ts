// Resolution of one wrapper of a command (spec 3): inputs, templates, mounts, outputs, setup and
// wrap-up commands, in XCS's order, giving the plan a container engine runs.
import type { Command, CommandWrapper } from "@xcs/command-schema";
import { commandToJson } from "@xcs/command-schema";
import { buildFolders } from "./build-folders.js";
import type { ResolutionContext } from "./context.js";
import { ResolutionError } from "./errors.js";
import { flattenValues, resolveForest } from "./input-values.js";
import { loadPlan } from "./load-plan.js";
import { mountAt, resolveMounts } from "./mounts.js";
import { ObjectLoader } from "./objects.js";
import { resolveOutputs } from "./outputs.js";
import { quirksFor } from "./quirks.js";
import { resolvedCommand } from "./resolved-command.js";
import { lineValuesOf, safeArgv } from "./safe-argv.js";
import { checkSecretReferences, resolveSecrets } from "./secrets.js";
import { type ParentValues, resolveSpecialCommand } from "./special-commands.js";
import {
  containerNameOf,
  type JsonPathTargets,
  resolveTemplate,
  templatedMap,
  type ValueMap,
} from "./templates.js";
import { buildInputForest, type InputNode } from "./tree.js";
import type { ResolvedCommand, ResolveOptions } from "./types.js";

export interface ResolveExtras {
  /** Refuse read-only mounts whose archive folder is missing (the CLI does). */
  checkArchivePaths?: boolean;
}

/** Resolves `options.wrapper` of `command`; throws ResolutionError (or JsonPathError where XCS does not catch one). */
export function resolveCommand(
  command: Command,
  options: ResolveOptions & ResolveExtras,
): ResolvedCommand {
  const wrapper = findWrapper(command, options.wrapper);
  const quirks = quirksFor(options.mode, options.quirks);
  const targets = jsonPathTargets(command, wrapper, quirks.searchCommandRootJsonPath);
  const inputs = options.inputs ?? {};
  const valueMap: ValueMap = new Map();
  const commandLineMap: ValueMap = new Map();
  const roots = buildInputForest(command.inputs, wrapper, commandLineMap);
  const context: ResolutionContext = {
    inputs,
    quirks,
    targets,
    valueMap,
    commandLineMap,
    lineValues: new Map(),
    loader: new ObjectLoader(options.source),
    plan: loadPlan(),
  };
  const trees = resolveForest(roots, context);
  const template = (text: string) => resolveTemplate(text, valueMap, targets, quirks);

  const lineMap = quirks.substituteWrapperKeysInCommandLine
    ? withWrapperKeys(roots, valueMap, commandLineMap)
    : commandLineMap;
  const commandLine = resolveTemplate(command.commandLine ?? "", lineMap, targets, quirks);
  const environmentVariables = templatedMap(command.environmentVariables, template);
  const flat = flattenValues(trees);
  const secrets = resolveSecrets(command.secrets, options.settings.systemProperties ?? {});
  checkSecretReferences([...flat.external, ...flat.derived, ...flat.command], secrets);

  const parent: ParentValues = {
    registry: options.registry,
    commandLineMap: lineMap,
    valueMap,
    environment: environmentVariables,
    targets,
    quirks,
  };
  const folders = buildFolders(
    options.settings.buildPath,
    options.materialize !== false,
    options.newId,
  );
  const { mounts, setupCommands } = resolveMounts(command.mounts, {
    wrapper,
    trees,
    settings: options.settings,
    folders,
    anchoredTranslation: quirks.anchoredPathTranslation,
    checkArchivePaths: options.checkArchivePaths === true,
    template,
    parent,
  });
  const outputs = resolveOutputs(command.outputs, wrapper, trees, template);
  const wrapupCommands = outputs.flatMap((output) => {
    const reference = output.viaWrapupCommand;
    if (reference === null || reference.trim() === "") return [];
    const source = mounts.find((mount) => mount.name === output.mount);
    if (source === undefined) {
      throw new ResolutionError(
        `Output "${output.name}" names mount "${output.mount}", which the command does not have.`,
      );
    }
    const translation = {
      settings: options.settings,
      anchoredTranslation: quirks.anchoredPathTranslation,
    };
    // The whole output mount is the wrap-up's read-only input.
    const input = mountAt(
      "input",
      false,
      "/input",
      source.xnatHostPath,
      source.hostPathKind,
      translation,
      null,
    );
    const target = mountAt("output", true, "/output", folders.create(), "build", translation, null);
    return [
      resolveSpecialCommand(
        {
          reference,
          expectedType: "docker-wrapup",
          input,
          output: target,
          parentSourceObjectName: output.name,
        },
        parent,
      ),
    ];
  });

  const resolved = resolvedCommand(command, {
    wrapperId: wrapperIndexId(command, wrapper),
    wrapperName: wrapper.name ?? "",
    wrapperDescription: wrapper.description,
    commandLine,
    rawInputValues: { ...inputs },
    environmentVariables,
    ports: templatedMap(command.ports, template),
    mounts,
    outputs,
    workingDirectory: command.workingDirectory === null ? null : template(command.workingDirectory),
    containerName: containerNameOf(command.containerName, template),
    containerLabels: templatedMap(command.containerLabels ?? {}, template),
    secrets,
    parentSourceObjectName: null,
    setupCommands,
    wrapupCommands,
    externalWrapperInputValues: flat.external,
    derivedInputValues: flat.derived,
    commandInputValues: flat.command,
    inputTree: trees,
  });
  const safe = safeArgv(command, resolved, {
    lineValues: lineValuesOf(lineMap, context.lineValues),
    lineMapSize: lineMap.size,
    targets,
    quirks,
  });
  return safe === undefined ? resolved : { ...resolved, safeArgv: safe };
}

function findWrapper(command: Command, name: string): CommandWrapper {
  const wrapper = command.xnat.find((candidate) => candidate.name === name);
  if (wrapper === undefined) {
    const known = command.xnat.map((candidate) => candidate.name).join(", ");
    throw new ResolutionError(
      `Command "${command.name}" has no wrapper "${name}". Known wrappers: ${known === "" ? "none" : known}.`,
    );
  }
  return wrapper;
}

function wrapperIndexId(command: Command, wrapper: CommandWrapper): number {
  return (wrapper as { id?: number }).id ?? command.xnat.indexOf(wrapper);
}

/** `^wrapper:` searches the wrapper as XCS serialises it; `^$` searches `{}` unless fixed. */
function jsonPathTargets(
  command: Command,
  wrapper: CommandWrapper,
  searchRoot: boolean,
): JsonPathTargets {
  const json = commandToJson({ ...command, xnat: [wrapper] });
  const wrapperJson = { ...((json.xnat as Record<string, unknown>[] | undefined)?.[0] ?? {}) };
  delete wrapperJson.label; // the configured command drops the wrapper's label
  return { wrapper: wrapperJson, command: searchRoot ? json : {} };
}

/** The command-line map with the wrapper inputs' keys added (the fix of XCS's literal keys). */
function withWrapperKeys(
  roots: readonly InputNode[],
  values: ValueMap,
  commandLine: ValueMap,
): ValueMap {
  const map: ValueMap = new Map();
  const visit = (node: InputNode) => {
    if (node.kind !== "command" && values.has(node.key))
      map.set(node.key, values.get(node.key) ?? null);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  for (const [key, value] of commandLine) map.set(key, value);
  return map;
}
