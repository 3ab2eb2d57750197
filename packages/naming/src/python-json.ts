// JSON as Python's `json` module writes it: `NaN`, `Infinity` and `-Infinity` are valid tokens
// there (allow_nan=True is the default), so sidecars written by Python may contain them.

/** A JSON syntax error with a 1-based line and column. */
export class JsonSyntaxError extends SyntaxError {
  readonly line: number;
  readonly column: number;

  constructor(reason: string, line: number, column: number) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = "JsonSyntaxError";
    this.line = line;
    this.column = column;
  }
}

// A JSON string literal, or one of Python's non-finite number tokens outside of strings.
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\bInfinity\b|\bNaN\b/g;
const MARKER = "\u0000py-nonfinite:";

/** Parse JSON text, accepting Python's `NaN`/`Infinity`/`-Infinity`. Throws `JsonSyntaxError`. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Fall through: either Python's non-finite tokens, or a syntax error to locate.
  }
  const problem = findSyntaxError(text);
  if (problem) {
    const before = text.slice(0, problem.offset);
    const line = before.split("\n").length;
    throw new JsonSyntaxError(problem.reason, line, problem.offset - before.lastIndexOf("\n"));
  }
  const quoted = text.replace(TOKENS, (token) =>
    token.startsWith('"') ? token : JSON.stringify(MARKER + token),
  );
  try {
    return JSON.parse(quoted, (_key, value) =>
      typeof value === "string" && value.startsWith(MARKER)
        ? Number(value.slice(MARKER.length))
        : value,
    );
  } catch {
    throw new JsonSyntaxError("invalid JSON", 1, 1);
  }
}

// The parser's error messages differ between Node versions and do not always give a position,
// so failures are located by this small recursive-descent checker of the same grammar.
interface Problem {
  offset: number;
  reason: string;
}

const LITERALS = ["true", "false", "null", "NaN", "Infinity", "-Infinity"];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The first syntax error of `text` as JSON with Python's extra tokens, or undefined. */
function findSyntaxError(text: string): Problem | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw { offset: i, reason } satisfies Problem;
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] ?? "")) i++;
  };
  const describe = () => (i >= text.length ? "end of input" : `'${text[i]}'`);
  const match = (re: RegExp) => {
    re.lastIndex = i;
    const found = re.exec(text);
    if (found) i += found[0].length;
    return found !== null;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (!match(STRING)) fail(`expected a property name in quotes, found ${describe()}`);
        space();
        if (text[i] !== ":") fail(`expected ':', found ${describe()}`);
        i++;
        value();
        space();
        if (text[i] === "}") {
          i++;
          return;
        }
        if (text[i] !== ",") fail(`expected ',' or '}', found ${describe()}`);
        i++;
      }
    }
    if (char === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === "]") {
          i++;
          return;
        }
        if (text[i] !== ",") fail(`expected ',' or ']', found ${describe()}`);
        i++;
      }
    }
    if (char === '"') {
      if (!match(STRING)) fail("malformed string");
      return;
    }
    const literal = LITERALS.find((word) => text.startsWith(word, i));
    if (literal) {
      i += literal.length;
      return;
    }
    if (!match(NUMBER)) fail(`unexpected ${describe()}`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${describe()} after the value`);
    return undefined;
  } catch (problem) {
    if (typeof problem === "object" && problem !== null && "offset" in problem)
      return problem as Problem;
    // A stack overflow on absurdly deep nesting: still a clear answer, never a crash.
    return { offset: 0, reason: "nested too deeply to read" };
  }
}
