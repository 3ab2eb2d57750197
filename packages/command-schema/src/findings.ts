// What validation reports: one finding per problem, with a stable code, a severity, the JSON
// pointer of the value it is about and a one-line hint on how to fix it.

export type Severity = "error" | "warning" | "info";

/**
 * Where a finding comes from: XNAT's own validation (`xcs`, the message is XNAT's, verbatim),
 * the reader (`read`: what XNAT silently ignores), or the stricter checks (`lint`).
 */
export type FindingSource = "xcs" | "read" | "lint";

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly source: FindingSource;
  readonly message: string;
  /** JSON pointer into the command document (`""`: the whole document). */
  readonly pointer: string;
  readonly hint: string;
}

/** Collects findings of one source. */
export class Findings {
  readonly list: Finding[] = [];

  constructor(private readonly source: FindingSource) {}

  add(
    code: string,
    message: string,
    pointer: string,
    hint: string,
    severity: Severity = "error",
  ): void {
    this.list.push({ code, severity, source: this.source, message, pointer, hint });
  }
}
