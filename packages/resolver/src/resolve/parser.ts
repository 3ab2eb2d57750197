// A derived input's `parser` (spec 3.5). XCS first tries it as an XPath over the value read as
// XML; values here are never XML (that needs XNAT's `datatype-string`), so, as XCS does for any
// non-XML value, it is a whole-string Java regex: it filters, it does not extract.
import { javaRegExp } from "../jsonpath/index.js";

export function applyParser(value: string | null, parser: string | null): string | null {
  if (value === null || parser === null || value.trim() === "") return value;
  let pattern: RegExp;
  try {
    pattern = javaRegExp(parser, "");
  } catch {
    return null;
  }
  return pattern.test(value) ? value : null;
}
