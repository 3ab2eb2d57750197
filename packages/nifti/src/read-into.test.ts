import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createImage } from "./image.js";
import { readImage } from "./read.js";
import { writeImage } from "./write.js";

const dir = mkdtempSync(join(tmpdir(), "read-into-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function volume(shape: [number, number, number], seed: number) {
  const data = Int16Array.from(
    { length: shape[0] * shape[1] * shape[2] },
    (_, i) => (i * seed) % 3001,
  );
  return createImage({
    data,
    shape,
    affine: [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
  });
}

describe("readImage into a caller's buffer", () => {
  it("reuses one buffer for a series of images, plain, gzip and multi-member", async () => {
    const cases = [
      { name: "a.nii", memberSize: undefined },
      { name: "b.nii.gz", memberSize: Number.POSITIVE_INFINITY },
      { name: "c.nii.gz", memberSize: 65536 },
    ];
    let buffer: ArrayBuffer | undefined;
    for (const [index, { name, memberSize }] of cases.entries()) {
      const image = volume([64, 48, 30], index + 3);
      const path = join(dir, name);
      await writeImage(path, image, { gzipMemberSize: memberSize, durable: false });
      const back = await readImage(path, { into: buffer });
      if (buffer) expect(back.data.buffer).toBe(buffer);
      buffer = back.data.buffer as ArrayBuffer;
      expect(Array.from(back.data as Int16Array)).toEqual(Array.from(image.data as Int16Array));
    }
  });

  it("allocates a new buffer when the given one is too small, and views the start of a larger one", async () => {
    const path = join(dir, "d.nii.gz");
    const image = volume([32, 32, 20], 7);
    await writeImage(path, image, { durable: false });
    const small = new ArrayBuffer(100);
    const fresh = await readImage(path, { into: small });
    expect(fresh.data.buffer).not.toBe(small);
    const large = new ArrayBuffer(image.data.byteLength + 4096);
    const viewed = await readImage(path, { into: large });
    expect(viewed.data.buffer).toBe(large);
    expect(viewed.data.length).toBe(image.data.length);
    expect(Array.from(viewed.data as Int16Array)).toEqual(Array.from(image.data as Int16Array));
  });
});
