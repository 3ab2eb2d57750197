// XCS behaviours that a user may want reproduced (files written against XNAT depend on them) or
// fixed. Each switch is named after the fix; `compat` turns every fix off, `fixed` turns all on.

export interface Quirks {
  /** Wrapper-input keys such as `#session#` are substituted into the command line too. XCS leaves them literal. */
  substituteWrapperKeysInCommandLine: boolean;
  /** `^$...^` searches the command's JSON. XCS searches `{}`, so such paths always fail. */
  searchCommandRootJsonPath: boolean;
  /** `^...^` is evaluated even when the template's value map is empty. XCS skips it. */
  evaluateJsonPathWithEmptyMap: boolean;
  /**
   * Keys are replaced longest first in one pass (values are not re-scanned). XCS replaces them
   * one after the other in Java `HashMap` order, so `SCAN` can eat the start of `SCAN_ID`.
   */
  longestKeyFirst: boolean;
  /** A `multiple` derived input with exactly one match is formatted as a list (`'scan1'`). */
  formatSingleMatchAsList: boolean;
  /** An optional `file` command input without a value has its key replaced by "" (XCS leaves the key). */
  blankMissingFileInput: boolean;
  /** Path translation replaces a leading prefix only (XCS replaces every occurrence). */
  anchoredPathTranslation: boolean;
}

export type QuirkMode = "compat" | "fixed";

const COMPAT: Quirks = {
  substituteWrapperKeysInCommandLine: false,
  searchCommandRootJsonPath: false,
  evaluateJsonPathWithEmptyMap: false,
  longestKeyFirst: false,
  formatSingleMatchAsList: false,
  blankMissingFileInput: false,
  anchoredPathTranslation: false,
};

/** The switches of a mode, with individual overrides. */
export function quirksFor(mode: QuirkMode = "compat", overrides: Partial<Quirks> = {}): Quirks {
  const base: Quirks =
    mode === "fixed"
      ? (Object.fromEntries(Object.keys(COMPAT).map((key) => [key, true])) as unknown as Quirks)
      : COMPAT;
  return { ...base, ...overrides };
}
