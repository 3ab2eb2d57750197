import { constants, deflateRawSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { NiftiError } from "./errors.js";
import { gunzipPrefix } from "./gunzip-prefix.js";

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Data of mixed compressibility: runs, text-like bytes, noise. */
function sample(random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let i = 0;
  while (i < length) {
    const kind = random();
    const run = 1 + Math.floor(random() * 300);
    for (let k = 0; k < run && i < length; k++, i++) {
      out[i] =
        kind < 0.3 ? 0 : kind < 0.6 ? 97 + Math.floor(random() * 6) : Math.floor(random() * 256);
    }
  }
  return out;
}

describe("gunzipPrefix decodes what zlib encodes", () => {
  it("agrees with zlib for every level and strategy, whole and in prefixes", () => {
    const random = seeded(7);
    const strategies = [
      constants.Z_DEFAULT_STRATEGY,
      constants.Z_FILTERED,
      constants.Z_HUFFMAN_ONLY,
      constants.Z_RLE,
      constants.Z_FIXED,
    ];
    for (let round = 0; round < 60; round++) {
      const data = sample(random, 1 + Math.floor(random() * 20000));
      const level = round % 10;
      const strategy = strategies[round % strategies.length] as number;
      const gz = gzipSync(data, { level, strategy });
      const whole = gunzipPrefix(gz, data.length + 10, true);
      expect(whole.ended).toBe(true);
      expect(Buffer.from(whole.bytes).equals(Buffer.from(data))).toBe(true);
      const want = Math.floor(random() * data.length) + 1;
      const prefix = gunzipPrefix(gz, want);
      expect(Buffer.from(prefix.bytes).equals(Buffer.from(data.subarray(0, want)))).toBe(true);
      // A cut input gives a shorter, still correct, prefix and asks for more.
      const cut = gunzipPrefix(gz.subarray(0, Math.floor(gz.length / 2)), data.length);
      expect(cut.ended).toBe(false);
      expect(Buffer.from(cut.bytes).equals(Buffer.from(data.subarray(0, cut.bytes.length)))).toBe(
        true,
      );
    }
  });

  it("reads across gzip members and skips optional header fields", () => {
    const a = new TextEncoder().encode("first member / ");
    const b = new TextEncoder().encode("second member");
    const member = (bytes: Uint8Array, flags: number, extra: number[]) => {
      const body = deflateRawSync(bytes);
      const trailer = Buffer.alloc(8);
      return Buffer.concat([
        Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3, ...extra]),
        body,
        trailer,
      ]);
    };
    const named = member(a, 8 | 4, [4, 0, 1, 2, 3, 4, ...Buffer.from("name\0")]);
    const stream = Buffer.concat([named, member(b, 0, [])]);
    const out = gunzipPrefix(stream, 100, true);
    expect(new TextDecoder().decode(out.bytes)).toBe("first member / second member");
    expect(out.ended).toBe(true);
  });

  it("rejects data that is not DEFLATE", () => {
    const bad = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]);
    expect(() => gunzipPrefix(bad, 10, true)).toThrow(NiftiError);
    expect(() => gunzipPrefix(Buffer.from([0x1f, 0x8b, 9, 0]), 10, true)).toThrow(/deflate/);
  });
});
