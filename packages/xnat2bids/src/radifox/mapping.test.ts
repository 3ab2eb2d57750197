import { describe, expect, it } from "vitest";
import {
  DEFAULT_RADIFOX_MAPPING,
  RadifoxMappingError,
  type RadifoxMappingOverrides,
  resolveRadifoxMapping,
} from "./mapping.js";

/** The problems `resolveRadifoxMapping` throws for `overrides`. */
function problemsOf(overrides: unknown): readonly string[] {
  try {
    resolveRadifoxMapping(overrides as RadifoxMappingOverrides);
  } catch (error) {
    expect(error).toBeInstanceOf(RadifoxMappingError);
    expect((error as Error).message).toContain("bad RADIFOX mapping");
    return (error as RadifoxMappingError).problems;
  }
  throw new Error("no RadifoxMappingError");
}

describe("DEFAULT_RADIFOX_MAPPING", () => {
  it("passes its own checks and is frozen", () => {
    expect(resolveRadifoxMapping()).toEqual(DEFAULT_RADIFOX_MAPPING);
    expect(resolveRadifoxMapping({})).toEqual(DEFAULT_RADIFOX_MAPPING);
    expect(Object.isFrozen(DEFAULT_RADIFOX_MAPPING.modalities)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RADIFOX_MAPPING.extras["INV(\\d+)"]?.suffix)).toBe(true);
  });

  it("leaves the modalities without a clear BIDS suffix out", () => {
    for (const modality of ["STIR", "SWI", "MT", "FLOW", "UNK", "NONCON", "CTA"]) {
      expect(DEFAULT_RADIFOX_MAPPING.modalities).not.toHaveProperty(modality);
    }
  });
});

describe("resolveRadifoxMapping merging", () => {
  it("replaces entries key by key and removes those set to null", () => {
    const mapping = resolveRadifoxMapping({
      modalities: { SWI: "T2starw", PD: null, T2: "T2w" },
      excontrast: { POST: { ce: "gadovist" } },
      extras: { SWI: { entities: { rec: "swi" } }, "DYN(\\d+)": null },
    });
    expect(mapping.modalities).toEqual({
      ...Object.fromEntries(
        Object.entries(DEFAULT_RADIFOX_MAPPING.modalities).filter(([k]) => k !== "PD"),
      ),
      SWI: "T2starw",
    });
    expect(mapping.excontrast).toEqual({ POST: { ce: "gadovist" }, PRE: {} });
    const defaults = Object.keys(DEFAULT_RADIFOX_MAPPING.extras);
    // New rules come after the defaults; removed ones are gone.
    expect(Object.keys(mapping.extras)).toEqual([
      ...defaults.filter((k) => k !== "DYN(\\d+)"),
      "SWI",
    ]);
    expect(mapping.acquisition).toEqual(DEFAULT_RADIFOX_MAPPING.acquisition);
  });

  it("replaces lists whole and merges the orientation table", () => {
    const mapping = resolveRadifoxMapping({
      acquisition: {
        components: ["technique"],
        orientations: { AXIAL: "tra", NONE: null },
        defaultBodyparts: ["BRAIN", "ORBITS"],
      },
    });
    expect(mapping.acquisition).toEqual({
      components: ["technique"],
      orientations: { AXIAL: "tra", SAGITTAL: "sag", CORONAL: "cor" },
      defaultBodyparts: ["BRAIN", "ORBITS"],
    });
  });

  it("empties a whole section set to null", () => {
    const mapping = resolveRadifoxMapping({ extras: null, acquisition: null });
    expect(mapping.extras).toEqual({});
    expect(mapping.acquisition.components).toEqual([]);
    expect(mapping.modalities).toEqual(DEFAULT_RADIFOX_MAPPING.modalities);
  });

  it("neither freezes nor keeps the caller's objects", () => {
    const rule = { entities: { rec: "swi" } };
    const mapping = resolveRadifoxMapping({ extras: { SWI: rule } });
    expect(Object.isFrozen(rule)).toBe(false);
    expect(mapping.extras.SWI).not.toBe(rule);
    expect(Object.isFrozen(mapping.extras.SWI)).toBe(true);
  });
});

describe("resolveRadifoxMapping checks", () => {
  it("refuses suffixes BIDS does not define for images", () => {
    expect(problemsOf({ modalities: { SWI: "T2star_w" } })).toEqual([
      "modalities.SWI: 'T2star_w' is not a BIDS suffix",
    ]);
    expect(problemsOf({ modalities: { T1: "T1W" } })).toEqual([
      "modalities.T1: 'T1W' is not a BIDS suffix (BIDS writes 'T1w')",
    ]);
    expect(problemsOf({ modalities: { T1: "events" } })).toEqual([
      "modalities.T1: 'events' is a BIDS suffix, but not of NIfTI images",
    ]);
    expect(problemsOf({ modalities: { T1: 1 } })[0]).toMatch(/^modalities\.T1: .*string/);
    expect(problemsOf({ modalities: { "T-1": "T1w" } })[0]).toMatch(/not a RADIFOX name/);
    expect(problemsOf({ extras: { X: { suffix: { T1w: "MP2rage" } } } })).toEqual([
      "extras.X.suffix.T1w: 'MP2rage' is not a BIDS suffix (BIDS writes 'MP2RAGE')",
    ]);
  });

  it("refuses entity keys BIDS does not define, sub/ses and bad values", () => {
    expect(problemsOf({ excontrast: { POST: { contrast: "gd" } } })).toEqual([
      "excontrast.POST.contrast: 'contrast' is not a BIDS entity key",
    ]);
    expect(problemsOf({ excontrast: { POST: { sub: "x" } } })).toEqual([
      "excontrast.POST.sub: sub- and ses- come from the folders",
    ]);
    expect(problemsOf({ excontrast: { POST: { ce: "gado-linium" } } })[0]).toMatch(
      /^excontrast\.POST\.ce: .*letters and digits/,
    );
    expect(problemsOf({ extras: { SWI: { entities: { part: "swi" } } } })[0]).toMatch(
      /^extras\.SWI\.entities\.part: .*one of mag, phase, real, imag/,
    );
    expect(problemsOf({ extras: { "RUN(\\d+)": { entities: { run: "r$1" } } } })[0]).toMatch(
      /cannot/,
    );
  });

  it("refuses patterns that are no regular expressions or lack the groups used", () => {
    expect(problemsOf({ extras: { "ECHO(": { entities: { echo: "1" } } } })[0]).toMatch(
      /^extras\.ECHO\(: not a regular expression/,
    );
    expect(problemsOf({ extras: { "E(\\d)": { entities: { echo: "$2" } } } })).toEqual([
      "extras.E(\\d).entities.echo: '$2' but the pattern has 1 group(s)",
    ]);
    expect(problemsOf({ excontrast: { POST: { ce: "$1" } } })[0]).toMatch(/groups/);
    expect(problemsOf({ extras: { SWI: { entity: {} } } })).toEqual([
      "extras.SWI.entity: unknown key (expected entities, suffix)",
    ]);
    expect(problemsOf({ extras: { SWI: "rec-swi" } })[0]).toMatch(/must be an object or null/);
  });

  it("refuses unknown keys and shapes, listing every problem", () => {
    const problems = problemsOf({
      modality: {},
      acquisition: { components: ["technique", "contrast", "technique"], order: [] },
      extras: [],
    });
    expect(problems).toEqual([
      "modality: unknown key (expected one of modalities, excontrast, acquisition, extras)",
      "acquisition.order: unknown key (expected one of components, orientations, defaultBodyparts)",
      "extras: must be an object, not []",
      'acquisition.components.1: "contrast" is not one of bodypart, technique, acqdim, orientation',
      "acquisition.components.2: 'technique' is given twice",
    ]);
    expect(problemsOf([])).toEqual(["the mapping must be a JSON object"]);
    expect(problemsOf({ acquisition: { orientations: { AXIAL: "ax-ial" } } })[0]).toMatch(
      /^acquisition\.orientations\.AXIAL: /,
    );
  });
});
