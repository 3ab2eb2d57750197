// Mounts (spec 3.11): each command mount gets the folder of the wrapper input that provides its
// files (read-only archive folder, or a copy when writable or remote), or a new build folder for
// outputs; a setup command may stand in between.
import { existsSync } from "node:fs";
import { XNAT_TYPES } from "@xcs/archive";
import type { CommandMount, CommandWrapper, WrapperInput } from "@xcs/command-schema";
import { isBlank } from "@xcs/command-schema";
import type { BuildFolders } from "./build-folders.js";
import { ResolutionError } from "./errors.js";
import { translatePath } from "./path-translation.js";
import { type ParentValues, resolveSpecialCommand } from "./special-commands.js";
import type { ResolvedCommand, ResolvedInput, ResolvedMount, ResolveSettings } from "./types.js";

// Every object type but Subject, whose folder XNAT does not know.
const MOUNTABLE: ReadonlySet<string> = new Set(XNAT_TYPES.filter((type) => type !== "Subject"));

export interface MountContext {
  wrapper: CommandWrapper;
  trees: readonly ResolvedInput[];
  settings: ResolveSettings;
  folders: BuildFolders;
  anchoredTranslation: boolean;
  /** Refuse read-only mounts whose archive folder does not exist. */
  checkArchivePaths: boolean;
  template(text: string): string;
  parent: ParentValues;
}

export function resolveMounts(
  mounts: readonly CommandMount[],
  context: MountContext,
): { mounts: ResolvedMount[]; setupCommands: ResolvedCommand[] } {
  const wrapperInputs = new Map<string, WrapperInput>();
  for (const input of [...context.wrapper.externalInputs, ...context.wrapper.derivedInputs]) {
    if (!wrapperInputs.has(input.name)) wrapperInputs.set(input.name, input);
  }
  const resolved: ResolvedMount[] = [];
  const setupCommands: ResolvedCommand[] = [];
  for (const mount of mounts) {
    const containerPath = context.template(mount.path ?? "");
    const source = findSource(mount.name, context.trees, wrapperInputs);
    if (source === undefined) {
      const folder = context.folders.create();
      resolved.push(mountAt(mount.name, true, containerPath, folder, "build", context, null));
      continue;
    }
    const { tree, input } = source;
    const sourcePath = sourceFolder(mount, tree, input);
    let hostPath = sourcePath;
    let kind: ResolvedMount["hostPathKind"] = "archive";
    let copied = false;
    const copy = mount.writable || context.settings.remoteFiles === true;
    // A copy needs its source; a plan (or the CLI) checks read-only folders too.
    if (
      (context.checkArchivePaths || (copy && context.folders.materialize)) &&
      !existsSync(sourcePath)
    ) {
      throw new ResolutionError(
        `Mount "${mount.name}" needs the folder ${sourcePath} of input "${tree.name}", which does not exist.`,
        { input: tree.name },
      );
    }
    if (copy) {
      hostPath = context.folders.create();
      context.folders.copyInto(sourcePath, hostPath);
      kind = "build";
      copied = true;
    }
    const setup = input.viaSetupCommand;
    if (setup === null || isBlank(setup)) {
      const main = mountAt(
        mount.name,
        mount.writable,
        containerPath,
        hostPath,
        kind,
        context,
        null,
      );
      resolved.push({ ...main, copied, fromInput: tree.name });
      continue;
    }
    // The setup command reads the source and writes B; the main mount shows B.
    const setupOutput = context.folders.create();
    const setupInput = mountAt("input", false, "/input", hostPath, kind, context, null);
    const output = mountAt("output", true, "/output", setupOutput, "setup-build", context, null);
    setupCommands.push(
      resolveSpecialCommand(
        {
          reference: setup,
          expectedType: "docker-setup",
          input: { ...setupInput, copied },
          output,
          parentSourceObjectName: tree.name,
        },
        context.parent,
      ),
    );
    const main = mountAt(
      mount.name,
      mount.writable,
      containerPath,
      setupOutput,
      "setup-build",
      context,
      setup,
    );
    resolved.push({ ...main, fromInput: tree.name });
  }
  return { mounts: resolved, setupCommands };
}

/** A mount of `xnatHostPath`, with the host path translated for the engine. */
export function mountAt(
  name: string,
  writable: boolean,
  containerPath: string,
  xnatHostPath: string,
  hostPathKind: ResolvedMount["hostPathKind"],
  context: Pick<MountContext, "settings" | "anchoredTranslation">,
  viaSetupCommand: string | null,
): ResolvedMount {
  return {
    name,
    writable,
    containerPath,
    xnatHostPath,
    containerHostPath: translatePath(xnatHostPath, context.settings, context.anchoredTranslation),
    hostPathKind,
    copied: false,
    viaSetupCommand,
    fromInput: null,
    mountPvcName: null,
  };
}

/**
 * The input that provides files to a mount: trees are walked through inputs with exactly one
 * value; when several inputs claim the mount, the last one visited wins (as in XCS).
 */
function findSource(
  mountName: string,
  trees: readonly ResolvedInput[],
  inputs: ReadonlyMap<string, WrapperInput>,
): { tree: ResolvedInput; input: WrapperInput } | undefined {
  let found: { tree: ResolvedInput; input: WrapperInput } | undefined;
  const visit = (tree: ResolvedInput) => {
    const input = tree.kind === "command" ? undefined : inputs.get(tree.name);
    if (input?.providesFilesForCommandMount === mountName) found = { tree, input };
    if (tree.values.length === 1) tree.values[0]?.children.forEach(visit);
  };
  trees.forEach(visit);
  return found;
}

/** The archive folder (or file) behind the input's object. */
function sourceFolder(mount: CommandMount, tree: ResolvedInput, input: WrapperInput): string {
  if (!MOUNTABLE.has(input.type)) {
    throw new ResolutionError(
      `I don't know how to provide files to a mount from an input of type "${input.type}".`,
      { input: tree.name },
    );
  }
  if (tree.values.length === 0) {
    // XCS fails here with an IndexOutOfBoundsException.
    throw new ResolutionError(
      `Input "${tree.name}" provides files for mount "${mount.name}" but has no value.`,
      { input: tree.name },
    );
  }
  if (tree.values.length > 1) {
    throw new ResolutionError(
      `Input "${tree.name}" has multiple resolved values. We can only use inputs with a single resolved value.`,
      { input: tree.name },
    );
  }
  const object = tree.values[0]?.value.object;
  if (object === undefined) {
    throw new ResolutionError(`Input "${tree.name}"'s XnatModelObject value is null`, {
      input: tree.name,
    });
  }
  const path = object.type === "File" ? object.path : object.directory;
  if (path === undefined || isBlank(path)) {
    throw new ResolutionError(`Mount "${mount.name}" should have a root path but does not.`, {
      input: tree.name,
    });
  }
  return path;
}
