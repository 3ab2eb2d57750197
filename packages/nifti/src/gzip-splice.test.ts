import { constants, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { indexMember, readMemberIndex } from "./gzip-index.js";
import { crc32, crc32ZeroExtend, spliceGzipPrefix } from "./gzip-splice.js";

/** Smooth values with runs of zeros: compresses like an MRI volume (matches and literals). */
function volumeLike(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i += 2) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const zero = ((i >> 12) + seed) % 5 === 0;
    const value = zero ? 0 : 600 + Math.round(200 * Math.sin(i / 3000)) + (state >>> 28);
    out[i] = value & 0xff;
    if (i + 1 < size) out[i + 1] = value >> 8;
  }
  return out;
}

/** The splice of a file in memory, its parts joined. */
function splicedFile(file: Uint8Array, prefix: Uint8Array, size: number): Buffer | undefined {
  const read = (start: number, length: number) => file.subarray(start, start + length);
  const parts = spliceGzipPrefix(file.length, read, prefix, size);
  return parts
    ? Buffer.concat(
        parts.map((part) => ("start" in part ? read(part.start, part.end - part.start) : part)),
      )
    : undefined;
}

function spliced(file: Uint8Array, prefix: Uint8Array, size: number): Buffer | undefined {
  const out = splicedFile(file, prefix, size);
  return out ? gunzipSync(out) : undefined;
}

describe("crc32ZeroExtend", () => {
  it("agrees with the CRC of data followed by zeros", () => {
    for (const n of [0, 1, 7, 1000, 65536, 300001]) {
      const data = volumeLike(777, n + 1);
      const padded = new Uint8Array(data.length + n);
      padded.set(data);
      // Linear part: crc(A||0^n) ^ crc(0^|A|||0^n) = zeroExtend(crc(A) ^ crc(0^|A|), n).
      const zeros = new Uint8Array(padded.length);
      const expected = (crc32(padded) ^ crc32(zeros)) >>> 0;
      const base = (crc32(data) ^ crc32(new Uint8Array(data.length))) >>> 0;
      expect(crc32ZeroExtend(base, n)).toBe(expected);
    }
  });
});

describe("spliceGzipPrefix", () => {
  const cases: [string, Record<string, number>][] = [
    ["level 1", { level: 1 }],
    ["level 6", { level: 6 }],
    ["level 9", { level: 9 }],
    ["rle", { level: 1, strategy: constants.Z_RLE }],
    ["huffman only", { level: 1, strategy: constants.Z_HUFFMAN_ONLY }],
  ];
  for (const [name, options] of cases) {
    for (const size of [200_000, 1_500_000]) {
      it(`replaces the header of a single-member stream (${name}, ${size} bytes)`, () => {
        const data = volumeLike(size, size + name.length);
        const file = gzipSync(data, options);
        const prefix = volumeLike(352, 99).map((v) => v ^ 0x5a);
        const out = spliced(file, prefix, size);
        const expected = Buffer.from(data);
        expected.set(prefix, 0);
        expect(out).toBeDefined();
        expect(Buffer.compare(out as Buffer, expected)).toBe(0);
      });
    }
  }

  it("copies the compressed data of our indexed files and keeps their index true", () => {
    const data = volumeLike(600_000, 5);
    const members = [data.subarray(0, 250_000), data.subarray(250_000)].map((part) =>
      indexMember(gzipSync(part, { level: 1 }), part.length),
    );
    const file = Buffer.concat(members);
    const prefix = new Uint8Array(352).fill(7);
    const out = splicedFile(file, prefix, data.length) as Buffer;
    // Only the first tens of KiB are recompressed: the output is the input's size, give or take.
    expect(Math.abs(out.length - file.length)).toBeLessThan(4096);
    // The second member, copied.
    const second = members[1] as Uint8Array;
    expect(Buffer.compare(out.subarray(out.length - second.length), second)).toBe(0);
    const index = readMemberIndex(out);
    expect(index?.map((m) => m.outputSize)).toEqual([250_000, 350_000]);
    expect(index?.[1]?.start).toBe(out.length - (members[1] as Uint8Array).length);
    const expected = Buffer.from(data);
    expected.set(prefix, 0);
    expect(Buffer.compare(gunzipSync(out), expected)).toBe(0);
  });

  it("joins the copied stream at every bit position a block boundary can have", () => {
    // Huffman-only blocks end at arbitrary bits; many seeds reach every even position.
    for (let seed = 0; seed < 40; seed++) {
      const data = volumeLike(150_000, seed * 7919);
      const file = gzipSync(data, { level: 1, strategy: constants.Z_HUFFMAN_ONLY, memLevel: 1 });
      const prefix = volumeLike(348, seed).map((v) => v ^ 0xa5);
      const out = spliced(file, prefix, data.length);
      const expected = Buffer.from(data);
      expected.set(prefix, 0);
      expect(out && Buffer.compare(out, expected)).toBe(0);
    }
  });

  it("reads further when the first bytes do not reach a cut", () => {
    const data = volumeLike(400_000, 21);
    const plain = gzipSync(data, { level: 1 });
    // A 300 KB file name in the gzip header (FLG.FNAME) pushes the data past the first read.
    const name = new Uint8Array(300_000).fill(0x61);
    const file = Buffer.concat([plain.subarray(0, 10), name, Uint8Array.of(0), plain.subarray(10)]);
    file[3] = 8;
    const prefix = new Uint8Array(352).fill(1);
    const expected = Buffer.from(data);
    expected.set(prefix, 0);
    expect(Buffer.compare(spliced(file, prefix, data.length) as Buffer, expected)).toBe(0);
    // Blocks of zeros decode to a megabyte each: the decoder is given more room.
    const zeros = new Uint8Array(12_000_000);
    zeros.set(data.subarray(0, 1000), 5_000_000);
    const out = spliced(gzipSync(zeros, { level: 1, memLevel: 6 }), prefix, zeros.length);
    const want = Buffer.from(zeros);
    want.set(prefix, 0);
    expect(out && Buffer.compare(out, want)).toBe(0);
  });

  it("declines what it cannot splice safely", () => {
    const data = volumeLike(300_000, 9);
    const prefix = new Uint8Array(352);
    // Several plain members (pigz-like): the trailer does not describe the whole stream.
    const twoMembers = Buffer.concat([
      gzipSync(data.subarray(0, 100_000)),
      gzipSync(data.subarray(100_000)),
    ]);
    expect(splicedFile(twoMembers, prefix, data.length)).toBeUndefined();
    // Too small to have a block boundary 32 KiB past the header.
    expect(splicedFile(gzipSync(data.subarray(0, 20_000)), prefix, 20_000)).toBeUndefined();
    // Not gzip at all.
    expect(splicedFile(data, prefix, data.length)).toBeUndefined();
  });
});

describe("rewriteHeader reuses compressed data", () => {
  it("gives the same image as a full rewrite, for single- and multi-member files", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { createImage } = await import("./image.js");
    const { readImage } = await import("./read.js");
    const { rewriteHeader } = await import("./rewrite.js");
    const { writeImage } = await import("./write.js");
    const dir = mkdtempSync(join(tmpdir(), "splice-"));
    try {
      const bytes = volumeLike(96 * 96 * 40 * 2, 3);
      const data = new Int16Array(bytes.buffer, 0, 96 * 96 * 40);
      const image = createImage({
        data,
        shape: [96, 96, 40],
        affine: [
          [2, 0, 0, -90],
          [0, 2, 0, -90],
          [0, 0, 3, -60],
          [0, 0, 0, 1],
        ],
      });
      for (const memberSize of [Number.POSITIVE_INFINITY, 65536]) {
        const input = join(dir, `in-${memberSize}.nii.gz`);
        const output = join(dir, `out-${memberSize}.nii.gz`);
        await writeImage(input, image, { gzipMemberSize: memberSize, durable: false });
        await rewriteHeader(input, output, { descrip: "spliced", sclSlope: 2 }, { durable: false });
        const back = await readImage(output);
        expect(back.header.descrip).toBe("spliced");
        expect(back.header.sclSlope).toBe(2);
        expect(Buffer.compare(Buffer.from(back.data.buffer), Buffer.from(data.buffer))).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
