import { describe, expect, it } from "vitest";
import { ImageFilter } from "./image-filter.js";
import { PyFloat, pyFloat, pyTuple, pythonRepr, pythonStr } from "./python-repr.js";

describe("pythonStr / pythonRepr", () => {
  it("renders PyFloat as a float even when the value is integral", () => {
    expect(pythonStr(pyFloat(2))).toBe("2.0");
    expect(pythonStr(2)).toBe("2");
    expect(pythonStr(new PyFloat(-0))).toBe("-0.0");
    expect(pythonStr(pyFloat(Number.NaN))).toBe("nan");
    expect(pythonRepr([pyFloat(2.5), 1, pyTuple(pyFloat(1))])).toBe("[2.5, 1, (1.0,)]");
  });

  it("renders objects with toPythonString by it (str(ImageFilter))", () => {
    const filter = ImageFilter.fromString("bodypart=BRAIN;modality=T1");
    expect(pythonStr(filter)).toBe("bodypart=BRAIN;modality=T1");
    expect(pythonRepr({ f: filter })).toBe("{'f': bodypart=BRAIN;modality=T1}");
  });
});
