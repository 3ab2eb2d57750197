// Whether a file found in the output already is what a run would place there: then a re-run
// leaves it alone.
import { promises as fs, type Stats } from "node:fs";
import type { LinkMode } from "./apply.js";
import { copyRecord, isAsPlaced, linkRecord, type Placed } from "./manifest.js";

/** A source file and its `stat`. */
export interface Origin {
  readonly source: string;
  readonly stat: Stats;
}

/** A file found at a target: its path, `lstat`, and what an earlier run recorded there. */
export interface Found {
  readonly path: string;
  readonly stat: Stats;
  readonly before: Placed | undefined;
}

/**
 * The record and method of `found` when it already is what placing `origin` in `mode` makes,
 * else undefined. A hard link is the source's inode; a symbolic link holds the source's path;
 * a copy has the source's size and modification time (it was given it, as `rsync -t` judges).
 * In hard mode a copy stands for a link across file systems, or where an earlier run found
 * linking impossible (a protected or foreign-owned archive) and left this very copy.
 */
export async function inPlace(
  origin: Origin,
  found: Found,
  mode: LinkMode,
): Promise<{ record: Placed; method: LinkMode } | undefined> {
  const { source, stat } = origin;
  const existing = found.stat;
  if (mode === "sym") {
    if (!existing.isSymbolicLink() || (await fs.readlink(found.path)) !== source) return undefined;
    return { record: linkRecord(source, stat, existing), method: "sym" };
  }
  if (!existing.isFile()) return undefined;
  if (existing.dev === stat.dev && existing.ino === stat.ino) {
    // In copy mode a link is not the copy asked for.
    return mode === "hard"
      ? { record: linkRecord(source, stat, existing), method: "hard" }
      : undefined;
  }
  const copied = existing.size === stat.size && Math.abs(existing.mtimeMs - stat.mtimeMs) < 1;
  if (!copied) return undefined;
  if (mode === "copy") return { record: copyRecord(source, stat), method: "copy" };
  const before = found.before;
  const fellBack =
    existing.dev !== stat.dev ||
    (before !== undefined &&
      "fallback" in before &&
      before.fallback === true &&
      isAsPlaced(before, existing));
  return fellBack ? { record: copyRecord(source, stat, true), method: "copy" } : undefined;
}

/** Whether two files hold the same bytes (read side by side, a megabyte at a time). */
export async function sameBytes(a: string, b: string): Promise<boolean> {
  const [fa, fb] = await Promise.all([fs.open(a), fs.open(b)]);
  try {
    const [sa, sb] = await Promise.all([fa.stat(), fb.stat()]);
    if (sa.size !== sb.size) return false;
    const size = 1 << 20;
    const [ba, bb] = [Buffer.alloc(size), Buffer.alloc(size)];
    for (let at = 0; at < sa.size; at += size) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, size, at), fb.read(bb, 0, size, at)]);
      const [ca, cb] = [ba.subarray(0, ra.bytesRead), bb.subarray(0, rb.bytesRead)];
      if (!ca.equals(cb)) return false;
    }
    return true;
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}
