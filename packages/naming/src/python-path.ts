// POSIX path behaviour of CPython 3.11's pathlib, which the original ImageFile is built on.
import { lstatSync, readlinkSync } from "node:fs";
import { dirname, isAbsolute, join, sep } from "node:path";
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
  return new RealpathResolver().resolve(path);
}

/**
 * `pythonRealpath` for many paths: what it learns about a folder (absent, a link and where it
 * leads, or neither) serves every later path, so a tree costs one lstat per distinct folder.
 * Use one resolver per batch; it does not notice links created or removed meanwhile.
 */
export class RealpathResolver {
  // lstat results by path: true = a symbolic link, false = exists and is not, null = absent.
  readonly #kinds = new Map<string, boolean | null>();
  // Where each link leads once resolved; null while it is being resolved (a loop).
  readonly #links = new Map<string, string | null>();

  resolve(path: string): string {
    const absolute = isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
    return this.#join(sep, absolute).path;
  }

  #kind(path: string): boolean | null {
    let kind = this.#kinds.get(path);
    if (kind === undefined) {
      try {
        const stats = lstatSync(path, { throwIfNoEntry: false });
        kind = stats === undefined ? null : stats.isSymbolicLink();
      } catch {
        kind = false; // unreadable (ENOTDIR, EACCES): not a link we can follow
      }
      this.#kinds.set(path, kind);
    }
    return kind;
  }

  #join(start: string, rest: string): { path: string; ok: boolean } {
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
      // `path` is absolute and normalised and `name` a plain component: concatenation is enough.
      const next = path === sep ? sep + name : path + sep + name;
      const kind: boolean | null = absent ? null : this.#kind(next);
      absent = kind === null;
      if (kind !== true) {
        path = next;
        continue;
      }
      const known = this.#links.get(next);
      if (known !== undefined) {
        if (known !== null) {
          path = known;
          continue;
        }
        return { path: join(next, ...names.slice(i + 1)), ok: false };
      }
      this.#links.set(next, null);
      const target = this.#join(path, readlinkSync(next));
      if (!target.ok) return { path: join(target.path, ...names.slice(i + 1)), ok: false };
      this.#links.set(next, target.path);
      path = target.path;
    }
    return { path, ok: true };
  }
}
