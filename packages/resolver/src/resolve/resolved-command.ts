// The fields of a resolved command that come straight from the command (spec 3.15), shared by
// the main command and its setup and wrap-up commands.
import type { Command } from "@xcs/command-schema";
import { containerCommand } from "../shell-split.js";
import type { ResolvedCommand } from "./types.js";

type Computed = Pick<
  ResolvedCommand,
  | "wrapperId"
  | "wrapperName"
  | "wrapperDescription"
  | "commandLine"
  | "rawInputValues"
  | "environmentVariables"
  | "ports"
  | "mounts"
  | "outputs"
  | "workingDirectory"
  | "containerName"
  | "containerLabels"
  | "secrets"
  | "parentSourceObjectName"
  | "setupCommands"
  | "wrapupCommands"
  | "externalWrapperInputValues"
  | "derivedInputValues"
  | "commandInputValues"
  | "inputTree"
> & { overrideEntrypoint?: boolean };

export function resolvedCommand(command: Command, computed: Computed): ResolvedCommand {
  const overrideEntrypoint = computed.overrideEntrypoint ?? command.overrideEntrypoint === true;
  return {
    ...computed,
    commandId: command.id,
    commandName: command.name,
    commandDescription: command.description,
    image: command.image,
    type: command.type,
    project: null,
    overrideEntrypoint,
    reserveMemory: command.reserveMemory,
    limitMemory: command.limitMemory,
    limitCpu: command.limitCpu,
    runtime: command.runtime,
    ipcMode: command.ipcMode,
    autoRemove: command.autoRemove,
    shmSize: command.shmSize,
    network: command.network,
    gpus: command.gpus,
    genericResources: { ...(command.genericResources ?? {}) },
    ulimits: { ...(command.ulimits ?? {}) },
    argv: containerCommand(computed.commandLine, overrideEntrypoint),
  };
}
