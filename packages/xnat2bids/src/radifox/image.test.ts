import { parseName } from "@radifox/naming";
import { describe, expect, it } from "vitest";
import { formatBidsName } from "../bids/names.js";
import { mapRadifoxImage } from "./image.js";
import { DEFAULT_RADIFOX_MAPPING, resolveRadifoxMapping } from "./mapping.js";

/** The BIDS name (sub-1) of a RADIFOX image type, or the reason it has none. */
function bids(type: string, mapping = DEFAULT_RADIFOX_MAPPING, tags = ""): string {
  const mapped = mapRadifoxImage(parseName(`P-1_1_01-01_${type}${tags}.nii.gz`), mapping);
  if (!mapped.ok) return `! ${mapped.reason}`;
  const entities = [{ key: "sub", value: "1" }, ...mapped.entities];
  return formatBidsName({ entities, suffix: mapped.suffix, extension: "" });
}

describe("mapRadifoxImage", () => {
  it("names the modality, contrast, acquisition and extras", () => {
    expect(bids("BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1")).toBe(
      "sub-1_acq-IRFSPGR3Dsag_echo-1_T1w",
    );
    expect(bids("BRAIN-T1-SE-2D-AXIAL-POST")).toBe("sub-1_acq-SE2Dax_ce-gadolinium_T1w");
    expect(bids("BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-INV2-REA")).toBe(
      "sub-1_acq-IRFSPGR3Dsag_inv-2_part-real_MP2RAGE",
    );
    expect(bids("BRAIN-T2STAR-GRE-2D-CORONAL-PRE-IMA")).toBe(
      "sub-1_acq-GRE2Dcor_part-imag_T2starw",
    );
    expect(bids("BRAIN-DIFF-EPI-2D-AXIAL-PRE-ND")).toBe("sub-1_acq-EPI2Dax_rec-nd_dwi");
    expect(bids("BRAIN-TOF-SPGR-3D-AXIAL-PRE-SUM")).toBe("sub-1_acq-SPGR3Dax_rec-sum_angio");
    expect(bids("BRAIN-PD-FSE-2D-AXIAL-PRE-DYN3")).toBe("sub-1_acq-FSE2Dax_run-3_PDw");
  });

  it("explains each part", () => {
    const mapped = mapRadifoxImage(
      parseName("P-1_1_01-01_BRAIN-T1-IRFSPGR-3D-SAGITTAL-POST-INV1-MAG.nii.gz"),
      DEFAULT_RADIFOX_MAPPING,
    );
    expect(mapped.ok && mapped.why).toEqual([
      "T1→T1w",
      "POST→ce-gadolinium",
      "INV1→inv-1 (T1w→MP2RAGE)",
      "MAG→part-mag",
      "acq from IRFSPGR 3D SAGITTAL",
    ]);
  });

  it("puts a bodypart other than the default ones first in acq, and drops NONE", () => {
    expect(bids("CSPINE-T2-FSE-2D-SAGITTAL-PRE")).toBe("sub-1_acq-CSPINEFSE2Dsag_T2w");
    expect(bids("BRAIN-T1-SE-3D-NONE-PRE")).toBe("sub-1_acq-SE3D_T1w");
    const mapping = resolveRadifoxMapping({
      acquisition: { components: ["orientation", "bodypart"], defaultBodyparts: [] },
    });
    expect(bids("BRAIN-T1-SE-2D-OBLIQUE-PRE", mapping)).toBe("sub-1_acq-OBLIQUEBRAIN_T1w");
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE", resolveRadifoxMapping({ acquisition: null }))).toBe(
      "sub-1_T1w",
    );
  });

  it("gives the reason an image has no name", () => {
    expect(bids("BRAIN-SWI-GRE-3D-AXIAL-PRE")).toBe(
      '! RADIFOX modality SWI has no BIDS suffix in the mapping; to convert it, add "modalities": {"SWI": "<BIDS suffix>"} to the mapping file',
    );
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE-POS1")).toMatch(/^! RADIFOX extra POS1 is not in/);
    expect(bids("BRAIN-T1-SE-2D-AXIAL-DURING")).toMatch(/^! RADIFOX excontrast DURING/);
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE", DEFAULT_RADIFOX_MAPPING, "_n4_reg")).toMatch(
      /^! processed image \(tags n4, reg\)/,
    );
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE-ND-SUM")).toBe("! ND gives rec-nd but SUM gives rec-sum");
    const wide = resolveRadifoxMapping({ extras: { "X(.+)": { entities: { echo: "$1" } } } });
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE-XA", wide)).toMatch(/^! RADIFOX extra XA: echo-A/);
  });

  it("takes the first matching rule, and a rule without entities drops the extra", () => {
    const mapping = resolveRadifoxMapping({
      extras: { "ECHO(\\d+)": { entities: { echo: "$1" } }, "E.*": {}, MTON: {} },
    });
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE-ECHO2", mapping)).toBe("sub-1_acq-SE2Dax_echo-2_T1w");
    expect(bids("BRAIN-T1-SE-2D-AXIAL-PRE-EXTRA-MTON", mapping)).toBe("sub-1_acq-SE2Dax_T1w");
  });
});
