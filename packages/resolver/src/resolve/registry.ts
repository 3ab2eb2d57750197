// Setup and wrap-up commands are named by image reference, `repo/image:tag[:commandName]`
// (spec 1.9). The registry answers what XCS's `getCommandByImage` answers.
import type { Command } from "@xcs/command-schema";
import { ResolutionError } from "./errors.js";

export interface CommandRegistry {
  /** The command a `via-setup-command` / `via-wrapup-command` reference names, if known. */
  byReference(reference: string): Command | undefined;
}

/** One known command and the image it belongs to (for image labels: the pulled image name). */
export interface RegisteredCommand {
  command: Command;
  /** Default: the command's own `image`. */
  image?: string;
}

/**
 * A registry over known commands (from files or image labels). A reference is split as XCS
 * splits it: the image is the first two `:`-separated parts, the command name the rest; without
 * a name, the image must have exactly one command.
 */
export function commandRegistry(commands: Iterable<RegisteredCommand>): CommandRegistry {
  const byImage = new Map<string, Command[]>();
  for (const { command, image } of commands) {
    const key = image ?? command.image ?? "";
    byImage.set(key, [...(byImage.get(key) ?? []), command]);
  }
  return {
    byReference(reference) {
      const parts = reference.split(":");
      const image = parts.slice(0, 2).join(":");
      const name = parts.slice(2).join(":");
      const candidates = byImage.get(image) ?? [];
      if (name !== "") return candidates.find((command) => command.name === name);
      if (candidates.length > 1) {
        throw new ResolutionError(`Found multiple commands for image ${image}.`);
      }
      return candidates[0];
    },
  };
}
