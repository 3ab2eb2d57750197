// POSIX path behaviour of CPython 3.11's pathlib, which the original ImageFile is built on.
import { lstatSync, readlinkSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { compareCodePoints } from "./python-text.js";

/** `PurePosixPath(name).suffixes`: leading dots ignored, a name ending in `.` has none. */
export function pathSuffixes(name: string): string[] {
  if (name.endsWith(".")) return [];
  const parts = name.replace(/^\.+/, "").split(".");
  return parts.slice(1).map((part) => `.${part}`);
}

/** `"".join(PurePosixPath(name).suffixes)`, without building the list. */
export function pathExtension(name: string): string {
  if (name.endsWith(".")) return "";
  let start = 0;
  while (name.charCodeAt(start) === 0x2e) start++;
  const dot = name.indexOf(".", start);
  return dot < 0 ? "" : name.slice(dot);
}

/**
 * Order two absolute paths as `PurePosixPath.__lt__` does: component by component, each
 * compared by code point (so `x/a/b` < `x/a-b/c`, unlike a plain string comparison).
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const left = a.split(sep);
  const right = b.split(sep);
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const order = compareCodePoints(left[i] ?? "", right[i] ?? "");
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/**
 * `os.path.realpath(path, strict=False)`: symbolic links are followed component by component
 * (so `link/..` leaves the link's target, not the link's folder); components that do not exist
 * are appended as written; a link loop stops resolution at the looping link.
 */
export function pythonRealpath(path: string): string {
  const absolute = isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
  return resolve(joinRealpath(sep, absolute, new Map()).path);
}

function joinRealpath(
  start: string,
  rest: string,
  seen: Map<string, string | null>,
): { path: string; ok: boolean } {
  let path = isAbsolute(rest) ? sep : start;
  const names = rest.split(sep);
  // Below a component that does not exist nothing exists, so nothing can be a link: stop
  // asking the file system (same result as Python, far fewer system calls).
  let absent = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? "";
    if (name === "" || name === ".") continue;
    if (name === "..") {
      path = dirname(path);
      absent = false;
      continue;
    }
    const next = join(path, name);
    let isLink = false;
    if (!absent) {
      try {
        const stats = lstatSync(next, { throwIfNoEntry: false });
        absent = stats === undefined;
        isLink = stats?.isSymbolicLink() ?? false;
      } catch {
        isLink = false;
      }
    }
    if (!isLink) {
      path = next;
      continue;
    }
    const known = seen.get(next);
    if (known !== undefined) {
      if (known !== null) {
        path = known;
        continue;
      }
      return { path: join(next, ...names.slice(i + 1)), ok: false };
    }
    seen.set(next, null);
    const target = joinRealpath(path, readlinkSync(next), seen);
    if (!target.ok) return { path: join(target.path, ...names.slice(i + 1)), ok: false };
    seen.set(next, target.path);
    path = target.path;
  }
  return { path, ok: true };
}
