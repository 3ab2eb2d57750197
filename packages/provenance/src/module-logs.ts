// Per-run log files (the original's `create_loggers`): `<prefix>-<stamp>-info.log` (INFO and
// above), `-warning.log` (warnings only) and `-error.log` (ERROR and CRITICAL; the original
// dropped CRITICAL). Files appear on their first line; lines are appended synchronously so they
// keep their order even when the process dies.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { errorMessage, ProvenanceError } from "./errors.js";
import { compactStamp, logTime } from "./time.js";

export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

const SEVERITY: Record<LogLevel, number> = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
};

/** The three files of one log set. */
export interface LogFiles {
  info: string;
  warning: string;
  error: string;
}

/** Log files for `prefix` in `dir`, stamped with `time` (`%Y%m%d%H%M%S`). */
export function logFilesFor(dir: string, prefix: string, time: Date): LogFiles {
  const base = join(dir, `${prefix}-${compactStamp(time)}`);
  return { info: `${base}-info.log`, warning: `${base}-warning.log`, error: `${base}-error.log` };
}

/** The logger a module's `run` receives. */
export interface ModuleLogger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string, error?: unknown): void;
  critical(message: string, error?: unknown): void;
}

/** Writes every message to each log set (and to `onLine`, e.g. the terminal). */
export class RunLog implements ModuleLogger {
  readonly #sets: LogFiles[] = [];
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #written = new Set<string>();

  constructor(onLine?: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** Adds a log set; its folder is created now, its files on their first line. */
  addSet(dir: string, files: LogFiles): void {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new ProvenanceError(
        "E_PROV_WRITE",
        `cannot create the log folder ${dir}: ${errorMessage(error)}`,
        { path: dir, cause: error },
      );
    }
    if (!this.#sets.some((set) => set.info === files.info)) this.#sets.push(files);
  }

  /** The log files written so far. */
  get files(): string[] {
    return [...this.#written].sort();
  }

  log(level: LogLevel, message: string, error?: unknown): void {
    const severity = SEVERITY[level];
    if (severity < SEVERITY.INFO) return; // the original's root level is INFO
    let text = `${logTime(new Date())} [${level}] ${message}\n`;
    const stack = error instanceof Error ? error.stack : undefined;
    if (stack) text += `${stack}\n`;
    this.#onLine?.(text);
    for (const set of this.#sets) {
      this.#append(set.info, text);
      if (severity >= SEVERITY.WARNING && severity < SEVERITY.ERROR)
        this.#append(set.warning, text);
      if (severity >= SEVERITY.ERROR) this.#append(set.error, text);
    }
  }

  #append(path: string, text: string): void {
    try {
      appendFileSync(path, text);
      this.#written.add(path);
    } catch {
      // A log line that cannot be written must not turn a good run into a failed one.
    }
  }

  debug(message: string): void {
    this.log("DEBUG", message);
  }
  info(message: string): void {
    this.log("INFO", message);
  }
  warning(message: string): void {
    this.log("WARNING", message);
  }
  error(message: string, error?: unknown): void {
    this.log("ERROR", message, error);
  }
  critical(message: string, error?: unknown): void {
    this.log("CRITICAL", message, error);
  }
}
