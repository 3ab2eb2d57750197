import { describe, expect, it } from "vitest";
import { FilterSyntaxError, NameError } from "./errors.js";
import { anyOf, contains, FilterCondition, lacks, not } from "./filter-values.js";
import { ImageFile } from "./image-file.js";
import { ImageFilter } from "./image-filter.js";
import { pyTuple } from "./python-repr.js";

const dir = "/study/S/1/nii";
const img = (stem: string) => new ImageFile(`${dir}/${stem}.nii.gz`);
const T1 = img("S_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE");
const T1_N4 = img("S_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE_n4");
const T2_ECHO1 = img("S_1_01-05_BRAIN-T2-FSE-2D-AXIAL-PRE-ECHO1");
const T2_ECHO1_MAG = img("S_1_01-06_BRAIN-T2-FSE-2D-AXIAL-PRE-ECHO1-MAG");
const DIFF_ND = img("S_1_02-04_BRAIN-DIFF-EPI-2D-AXIAL-PRE-ND");
const FLAIR = img("S_1_01-07_BRAIN-FLAIR-IRFSE-3D-SAGITTAL-POST");
const ALL = [T1, T1_N4, T2_ECHO1, T2_ECHO1_MAG, DIFF_ND, FLAIR];
const SHORT = img("S_1_01-03_BRAIN-T1");

const matchesOf = (filter: string) => ImageFilter.fromString(filter).filter(ALL);

function syntaxError(text: string, dialect?: "radifox" | "extended"): FilterSyntaxError {
  try {
    ImageFilter.fromString(text, dialect ? { dialect } : {});
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`${text} parsed`);
}

describe("ImageFilter matching (the original's rules)", () => {
  it("compares lists in order and exactly", () => {
    expect(new ImageFilter({ extras: ["ECHO1"] }).filter(ALL)).toEqual([T2_ECHO1]);
    expect(new ImageFilter({ extras: ["MAG", "ECHO1"] }).filter(ALL)).toEqual([]);
    expect(new ImageFilter({ extras: [] }).filter(ALL)).toEqual([T1, T1_N4, FLAIR]);
  });

  it("never matches a bare string or a tuple against a list", () => {
    expect(new ImageFilter({ extras: "ECHO1" }).filter(ALL)).toEqual([]);
    expect(new ImageFilter({ extras: pyTuple("ECHO1") }).filter(ALL)).toEqual([]);
  });

  it("uses Python truthiness for predicates ([] is false)", () => {
    expect(new ImageFilter({ extras: (x) => x }).filter(ALL)).toEqual([
      T2_ECHO1,
      T2_ECHO1_MAG,
      DIFF_ND,
    ]);
  });

  it("reads every key, so a short name throws even when an earlier key fails", () => {
    const filter = new ImageFilter({ modality: "T2", technique: "FSE" });
    expect(() => filter.matches(SHORT)).toThrow(NameError);
    expect(filter.partition([T2_ECHO1, SHORT, T1])).toMatchObject({
      matched: [T2_ECHO1],
      unmatched: [T1],
      invalid: [{ image: SHORT }],
    });
  });

  it("keeps input order and the same objects", () => {
    const reversed = [...ALL].reverse();
    const found = new ImageFilter({ bodypart: "BRAIN", acqdim: "3D" }).filter(reversed);
    expect(found).toEqual([FLAIR, T1_N4, T1]);
    expect(found[0]).toBe(FLAIR);
  });

  it("rejects unknown keys with the original's message", () => {
    expect(() => new ImageFilter({ body_part: "BRAIN" } as never)).toThrow(
      "Invalid key provided body_part. Allowed keys are: bodypart, modality, technique, acqdim, orientation, excontrast, extras, tags\nKeys provided: body_part",
    );
  });
});

describe("extended filter strings", () => {
  it("accept negation, membership and alternatives", () => {
    expect(matchesOf("modality!=T2;extras!~ND")).toEqual([T1, T1_N4, FLAIR]);
    expect(matchesOf("extras~ECHO1")).toEqual([T2_ECHO1, T2_ECHO1_MAG]);
    expect(matchesOf("modality=T1|FLAIR;tags=[]")).toEqual([T1, FLAIR]);
    expect(matchesOf("extras=[ECHO1]|[ND]")).toEqual([T2_ECHO1, DIFF_ND]);
    expect(matchesOf("tags~n4")).toEqual([T1_N4]);
    expect(matchesOf("technique~SPGR")).toEqual([T1, T1_N4]);
  });

  it("accept the README's body_part spelling, ',' between pairs and whitespace", () => {
    const filter = ImageFilter.fromString(
      " body_part = brain , modality=T2 , extras = ECHO1, mag ",
    );
    expect(filter.toString()).toBe("bodypart=BRAIN;modality=T2;extras=[ECHO1,MAG]");
    expect(filter.filter(ALL)).toEqual([T2_ECHO1_MAG]);
  });

  it("keep ',' inside a scalar value when no key follows", () => {
    expect(ImageFilter.fromString("technique=IR,FSE").get("technique")).toBe("IR,FSE");
  });

  it("take quoted values literally", () => {
    const filter = ImageFilter.fromString('modality="t1";extras=["X;Y", echo1]');
    expect([filter.get("modality"), filter.get("extras")]).toEqual(["t1", ["X;Y", "ECHO1"]]);
  });

  it("agree with the original on the strings it accepts", () => {
    for (const text of [
      "bodypart=brain;modality=t1",
      "extras=(echo1)",
      "tags=n4,Reg",
      "extras=NONE",
      "extras=[ECHO1],[MAG]",
      "bodypart=BRAIN;bodypart=SPINE",
    ]) {
      const ours = ImageFilter.fromString(text);
      expect(ours.equals(ImageFilter.fromString(text, { dialect: "radifox" })), text).toBe(true);
    }
  });

  it("render back to a string that parses to the same filter", () => {
    const filter = new ImageFilter({
      modality: anyOf("T1", "T2"),
      orientation: not("CORONAL"),
      extras: contains("ECHO1"),
      tags: lacks("n4"),
      bodypart: "brain stem",
      technique: "IR|FSE",
    });
    const text = filter.toString();
    expect(text).toBe(
      'modality=T1|T2;orientation!=CORONAL;extras~ECHO1;tags!~n4;bodypart="brain stem";technique="IR|FSE"',
    );
    expect(ImageFilter.fromString(text).equals(filter)).toBe(true);
  });

  it.each([
    ["bodypart=BRAIN;colour=red", "E_FILTER_KEY", "colour", 15],
    ["bodypart", "E_FILTER_PAIR", "bodypart", 0],
    ["bodypart=BRAIN;;modality=T1", "E_FILTER_PAIR", "", 15],
    ["modality==T1", "E_FILTER_PAIR", "modality==T1", 0],
    ["extras=", "E_FILTER_VALUE", "extras=", 7],
    ['modality="T1', "E_FILTER_VALUE", '"T1', 9],
  ])("report %s as %s with the token", (text, code, token, position) => {
    const error = syntaxError(text);
    expect([error.code, error.token, error.position]).toEqual([code, token, position]);
  });
});

describe("radifox dialect", () => {
  it("reproduces the original's errors and their order", () => {
    expect(syntaxError("body_part=BRAIN,modality=T2", "radifox").pythonError).toEqual({
      type: "ValueError",
      message: "dictionary update sequence element #0 has length 3; 2 is required",
    });
    // Value processing (IndexError) runs before key validation.
    expect(syntaxError("foo=1;extras=", "radifox").pythonError?.type).toBe("IndexError");
    expect(syntaxError("extras=ECHO1;foo=1", "radifox").pythonError?.message).toMatch(
      /^Invalid key provided foo\./,
    );
  });

  it("keeps whitespace and '|' as the original does", () => {
    const filter = ImageFilter.fromString("extras=ECHO1, MAG;modality=T1|T2", {
      dialect: "radifox",
    });
    expect(filter.get("extras")).toEqual(["ECHO1", " MAG"]);
    expect(filter.get("modality")).toBe("T1|T2");
  });
});

describe("toPythonString", () => {
  it("is Python's str() of the filter, as provenance records hold it", () => {
    const filter = ImageFilter.fromString("tags=n4;extras=it's,MAG;bodypart=BRAIN", {
      dialect: "radifox",
    });
    expect(filter.toPythonString()).toBe(`tags=['n4'];extras=["IT'S", 'MAG'];bodypart=BRAIN`);
  });

  it("writes extended conditions in the extended grammar", () => {
    expect(new ImageFilter({ modality: new FilterCondition("not", ["T2"]) }).toPythonString()).toBe(
      "modality!=T2",
    );
  });
});

describe("filter values", () => {
  it("are checked when the filter is built", () => {
    for (const bad of [null, 3, ["T1", 2], { value: "T1" }]) {
      expect(() => new ImageFilter({ modality: bad } as never)).toThrow(FilterSyntaxError);
    }
    expect(() => anyOf()).toThrow(FilterSyntaxError);
    expect(() => new FilterCondition("contains", [["A"]])).toThrow(FilterSyntaxError);
  });

  it("render conditions holding lists on any key", () => {
    const filter = new ImageFilter({ modality: anyOf(["T1"], "T2") });
    expect(filter.toString()).toBe("modality=[T1]|T2");
  });
});
