// The resolved command as XCS's `ResolvedCommand` JSON (spec 3.15, kebab-case keys), plus the
// argv forms this package adds. Secret and sensitive values are masked unless asked for.
import { MASK, maskSensitive, sensitiveValues } from "./masking.js";
import type { FlatInputValue, ResolvedCommand, ResolvedMount, ResolvedOutput } from "./types.js";

export interface ResolvedJsonOptions {
  /** Include secret values and sensitive inputs' values (default: masked as "****"). */
  revealSecrets?: boolean;
}

export function resolvedCommandJson(
  resolved: ResolvedCommand,
  options: ResolvedJsonOptions = {},
): Record<string, unknown> {
  const reveal = options.revealSecrets === true;
  const lists = [
    resolved.externalWrapperInputValues,
    resolved.derivedInputValues,
    resolved.commandInputValues,
  ];
  // As XCS's API: sensitive values are masked, and raw inputs hidden when any input is sensitive.
  const anySensitive = lists.some((list) => list.some((value) => value.sensitive));
  const values = (list: FlatInputValue[]) =>
    reveal ? list : list.map((value) => (value.sensitive ? { ...value, value: MASK } : value));
  const document = {
    "wrapper-id": resolved.wrapperId,
    "wrapper-name": resolved.wrapperName,
    "wrapper-description": resolved.wrapperDescription,
    "command-id": resolved.commandId,
    "command-name": resolved.commandName,
    "command-description": resolved.commandDescription,
    image: resolved.image,
    "container-name": resolved.containerName,
    type: resolved.type,
    project: resolved.project,
    "raw-input-values": anySensitive && !reveal ? {} : resolved.rawInputValues,
    "command-line": resolved.commandLine,
    overrideEntrypoint: resolved.overrideEntrypoint,
    "environment-variables": resolved.environmentVariables,
    ports: resolved.ports,
    mounts: resolved.mounts.map(mountJson),
    outputs: resolved.outputs.map(outputJson),
    "working-directory": resolved.workingDirectory,
    "setup-commands": resolved.setupCommands.map((command) =>
      resolvedCommandJson(command, options),
    ),
    "wrapup-commands": resolved.wrapupCommands.map((command) =>
      resolvedCommandJson(command, options),
    ),
    "reserve-memory": resolved.reserveMemory,
    "limit-memory": resolved.limitMemory,
    runtime: resolved.runtime,
    "ipc-mode": resolved.ipcMode,
    "auto-remove": resolved.autoRemove,
    "shm-size": resolved.shmSize,
    network: resolved.network,
    "container-labels": resolved.containerLabels,
    "limit-cpu": resolved.limitCpu,
    "parent-source-object-name": resolved.parentSourceObjectName,
    gpus: resolved.gpus,
    "generic-resources": resolved.genericResources,
    ulimits: resolved.ulimits,
    secrets: resolved.secrets.map((secret) => ({
      source: { type: secret.sourceType, identifier: secret.sourceIdentifier },
      destination: { type: secret.destinationType, identifier: secret.destinationIdentifier },
      value: reveal ? secret.value : MASK,
    })),
    // Placement constraints apply to Swarm and Kubernetes only; none are resolved here.
    "swarm-constraints": [],
    "external-wrapper-input-values": values(resolved.externalWrapperInputValues),
    "derived-input-values": values(resolved.derivedInputValues),
    "command-input-values": values(resolved.commandInputValues),
    argv: resolved.argv,
    "safe-argv": resolved.safeArgv ?? null,
  };
  // The lists follow XCS; the values themselves are hidden wherever else they were used.
  return reveal ? document : maskSensitive(document, sensitiveValues(resolved));
}

function mountJson(mount: ResolvedMount): Record<string, unknown> {
  return {
    name: mount.name,
    writable: mount.writable,
    "container-path": mount.containerPath,
    "xnat-host-path": mount.xnatHostPath,
    "container-host-path": mount.containerHostPath,
    "via-setup-command": mount.viaSetupCommand,
    "mount-pvc-name": mount.mountPvcName,
    "host-path-kind": mount.hostPathKind,
    copied: mount.copied,
    "from-input": mount.fromInput,
  };
}

function outputJson(output: ResolvedOutput): Record<string, unknown> {
  return {
    name: output.name,
    "from-command-output": output.fromCommandOutput,
    "from-output-handler": output.fromOutputHandler,
    type: output.type,
    required: output.required,
    mount: output.mount,
    path: output.path,
    glob: output.glob,
    label: output.label,
    format: output.format,
    description: output.description,
    content: output.content,
    tags: output.tags,
    "xsi-type": output.xsiType,
    "handled-by": output.handledBy,
    "via-wrapup-command": output.viaWrapupCommand,
  };
}
