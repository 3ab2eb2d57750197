import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomic-file.js";
import { NiftiError } from "./errors.js";

const dir = mkdtempSync(join(tmpdir(), "atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("replaces the file whole and leaves no temporary file", async () => {
    const path = join(dir, "a.txt");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new TextEncoder().encode("second"), { mode: 0o640 });
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });

  it("fails with E_NIFTI_IO naming the path when the folder is missing", async () => {
    const path = join(dir, "missing", "b.txt");
    const error = await writeFileAtomic(path, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NiftiError);
    expect(error).toMatchObject({ code: "E_NIFTI_IO", path });
  });
});
