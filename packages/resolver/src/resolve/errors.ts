// The errors resolution reports. XCS's exception names are kept (`javaName`) so that users can
// search for the message they know from XNAT, and the runner can compare with the vectors.

/** XCS's resolution exceptions by their Java simple names. */
export type ResolutionErrorName =
  | "CommandResolutionException"
  | "IllegalInputException"
  | "CommandInputResolutionException"
  | "CommandPreResolutionException";

/** Why resolution stopped; `input` names the input concerned when there is one. */
export class ResolutionError extends Error {
  readonly javaName: ResolutionErrorName;
  readonly input: string | undefined;

  constructor(message: string, options: { javaName?: ResolutionErrorName; input?: string } = {}) {
    super(message);
    this.name = "ResolutionError";
    this.javaName = options.javaName ?? "CommandResolutionException";
    this.input = options.input;
  }
}

/** The strings XCS refuses in any resolved input value, in the order it checks them. */
export const ILLEGAL_INPUT_STRINGS: readonly string[] = [";", "&&", "||", "`", "("];

/** Refuses a value that holds one of XCS's illegal strings (spec 3.10). */
export function checkIllegalValue(name: string, value: string | null): void {
  if (value === null) return;
  for (const illegal of ILLEGAL_INPUT_STRINGS) {
    if (value.includes(illegal)) {
      throw new ResolutionError(
        `Input "${name}" has a value containing illegal string "${illegal}".`,
        { javaName: "IllegalInputException", input: name },
      );
    }
  }
}
