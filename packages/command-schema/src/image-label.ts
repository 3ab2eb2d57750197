// Commands in Docker image labels (spec 7): the label `org.nrg.commands` holds a JSON array of
// command documents as one string. XNAT reads each element as REST create does, except that
// the image becomes the name the image was pulled as.
import { JsonSyntaxError, readJson, type SourcePosition } from "./json-reader.js";
import { CommandReadError } from "./read-command.js";
import { type CheckResult, checkCommand, type ValidateOptions } from "./validate.js";

export const COMMAND_LABEL = "org.nrg.commands";

/** The label value for a list of command documents (plain JSON values). */
export function encodeCommandLabel(commands: readonly unknown[]): string {
  return JSON.stringify(commands);
}

/**
 * A Dockerfile line that sets the label. Backslashes, double quotes and `$` are escaped so that
 * Docker hands the JSON over unchanged (the original helper escapes only `"` and `$`).
 */
export function dockerfileLabel(commands: readonly unknown[]): string {
  const escaped = encodeCommandLabel(commands).replace(/[\\"$]/g, (c) => `\\${c}`);
  return `LABEL ${COMMAND_LABEL}="${escaped}"`;
}

export interface LabelCommand {
  readonly index: number;
  /** The element's text inside the label value. */
  readonly text: string;
  /** Where the element starts in the label value. */
  readonly start: SourcePosition;
  readonly result: CheckResult;
}

/**
 * Reads a label value: every element is checked as XNAT reads image labels (`label` mode, the
 * image replaced by `image` when given). Throws {@link CommandReadError} when the value is not a
 * JSON array (XNAT then saves nothing).
 */
export function decodeCommandLabel(
  value: string,
  options: { image?: string } & ValidateOptions = {},
): LabelCommand[] {
  let root: ReturnType<typeof readJson>["root"];
  try {
    root = readJson(value).root;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new CommandReadError("syntax", error.reason, "", error.position, { cause: error });
  }
  if (root.kind !== "array") {
    throw new CommandReadError(
      "shape",
      `the ${COMMAND_LABEL} label must hold a JSON array of commands`,
      "",
      root.start,
    );
  }
  return root.items.map((item, index) => {
    const text = value.slice(item.start.offset, item.end);
    return {
      index,
      text,
      start: item.start,
      result: checkCommand(text, { ...options, mode: "label" }),
    };
  });
}
