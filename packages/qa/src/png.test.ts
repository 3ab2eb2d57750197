import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodePng } from "../test/support.js";
import { QaError } from "./errors.js";
import { encodePng } from "./png.js";

function roundTrip(bytes: Buffer) {
  const dir = mkdtempSync(join(tmpdir(), "qa-png-"));
  try {
    writeFileSync(join(dir, "a.png"), bytes);
    return decodePng(join(dir, "a.png"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("encodePng", () => {
  it("writes 8-bit greyscale (mode L) that decodes to the same pixels", () => {
    const pixels = Uint8Array.from({ length: 7 * 3 }, (_, i) => (i * 37) & 255);
    const png = encodePng(pixels, 7, 3, "L");
    expect(png[25]).toBe(0); // colour type: greyscale
    const decoded = roundTrip(png);
    expect([decoded.width, decoded.height, decoded.mode]).toEqual([7, 3, "L"]);
    expect(decoded.pixels).toEqual(pixels);
  });

  it("writes 8-bit RGB", () => {
    const pixels = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 101) & 255);
    for (const level of [0, 1, 9]) {
      const png = encodePng(pixels, 5, 4, "RGB", { level });
      expect(png[25]).toBe(2);
      expect(roundTrip(png).pixels).toEqual(pixels);
    }
  });

  it("checks sizes, mode and level", () => {
    expect(() => encodePng(new Uint8Array(5), 2, 3, "L")).toThrow(/need 6 bytes/);
    expect(() => encodePng(new Uint8Array(0), 0, 3, "L")).toThrow(QaError);
    expect(() => encodePng(new Uint8Array(1), 1, 1, "RGBA" as "L")).toThrow(/mode/);
    expect(() => encodePng(new Uint8Array(1), 1, 1, "L", { level: 10 })).toThrow(/level/);
  });
});
