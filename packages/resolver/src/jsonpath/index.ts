// Jayway JsonPath 2.10 semantics for XCS matchers and `^…^` substitutions (spec 4.1).
import { Failure, JsonPathError } from "./errors.js";
import { wholeInputRegExp } from "./java-regex.js";

export { JsonPathError, type JsonPathErrorKind } from "./errors.js";
export { readJsonPath, readJsonPathAsString, readJsonPathList } from "./read.js";

/**
 * A Java regex (java.util.regex syntax, Jayway's flag letters `idmsux`) as a RegExp that only
 * matches the whole input, like `Matcher.matches()`. Throws JsonPathError "InvalidPath" when
 * the pattern is invalid or uses a construct JavaScript cannot express.
 */
export function javaRegExp(pattern: string, flags: string): RegExp {
  try {
    return wholeInputRegExp(pattern, flags);
  } catch (error) {
    if (error instanceof Failure) {
      throw new JsonPathError(error.kind, error.message, `/${pattern}/${flags}`);
    }
    throw error;
  }
}
