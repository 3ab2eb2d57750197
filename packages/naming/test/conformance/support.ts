// Shared helpers of the conformance runners: where the vectors are, and how our errors map to
// the Python exceptions the vectors record.
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConformanceDir, requireOrSkip } from "@workspace/test-support";
import { expect } from "vitest";
import { FilterSyntaxError, NameError, SidecarError } from "../../src/index.js";

/**
 * The folder of the RADIFOX vectors: `RADIFOX_CONFORMANCE_DIR` if set (e.g. another set in
 * the same format), else `../shared/conformance/radifox` beside the repository.
 */
export function conformanceDir(): string | undefined {
  const candidates = [process.env.RADIFOX_CONFORMANCE_DIR, defaultConformanceDir("radifox")];
  return candidates.find((dir): dir is string => !!dir && existsSync(dir));
}

/** Skip with a printed reason on a developer machine; fail in CI. */
export function requireVectors(file: string): string | undefined {
  const dir = conformanceDir();
  const path = dir ? join(dir, file) : undefined;
  const present = path !== undefined && existsSync(path);
  const reason = `conformance vectors ${file} not found (set RADIFOX_CONFORMANCE_DIR)`;
  return requireOrSkip(present, reason) ? path : undefined;
}

/** A fresh temporary root for a case (resolved, so paths compare as written). */
export function makeTmp(): { root: string; cleanup: () => void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "radifox-vectors-")));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface PythonError {
  error: string;
  message?: string;
}

/**
 * The Python exception the original raises where we threw `error`. `message` is set only when
 * our error carries the original's text (radifox's own messages); CPython's generic messages
 * (`list index out of range`) are compared by kind.
 */
export function asPythonError(error: unknown, root: string): PythonError {
  const withTmp = (text: string) => text.split(root).join("{TMP}");
  if (error instanceof NameError && error.code === "E_NAME_MISSING") return { error: "IndexError" };
  if (error instanceof SidecarError && error.code === "E_SIDECAR_UNAVAILABLE") {
    return { error: "ValueError", message: withTmp(error.message) };
  }
  if (error instanceof SidecarError && error.code === "E_SIDECAR_KEY") {
    return { error: "AttributeError", message: error.message };
  }
  if (error instanceof FilterSyntaxError && error.pythonError) {
    return { error: error.pythonError.type, message: error.pythonError.message };
  }
  throw error;
}

/** Run `fn`, returning its value or the Python form of what it threw. */
export function outcome<T>(fn: () => T, root: string): T | PythonError {
  try {
    return fn();
  } catch (error) {
    return asPythonError(error, root);
  }
}

export function isPythonError(value: unknown): value is PythonError {
  return !!value && typeof value === "object" && !Array.isArray(value) && "error" in value;
}

/**
 * Assert an outcome against a vector's expectation: values must be equal; an expected error
 * must be raised as the same Python class, with the same text when we reproduce the text.
 */
export function expectOutcome(actual: unknown, expected: unknown, label: string): void {
  if (isPythonError(expected)) {
    expect(isPythonError(actual) ? actual.error : actual, label).toBe(expected.error);
    if (isPythonError(actual) && actual.message !== undefined) {
      expect(actual.message, label).toBe(expected.message);
    }
    return;
  }
  expect(actual, label).toEqual(expected);
}
