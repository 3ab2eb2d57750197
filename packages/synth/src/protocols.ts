// The images a synthetic session holds: the reference benchmark's 12 and the MP2RAGE sets.
import type { ComplexPart } from "./noise.js";

/** How an image's voxels are made. */
export type SignalSpec =
  /** Smooth noise; `gain` scales the field (echo decay), default 1. */
  | { readonly kind: "magnitude"; readonly gain?: number }
  /**
   * One part of an MP2RAGE acquisition. Every image of one study with the same `inversion`
   * shares the complex data; INV1 and INV2 share the receive phase, so that the UNIDEN image
   * `Re(conj(S1) S2) / (|S1|^2 + |S2|^2)` is the real ratio it should be.
   */
  | { readonly kind: "mp2rage"; readonly inversion: 1 | 2; readonly part: ComplexPart };

/** One image of a protocol. */
export interface ImageSpec {
  /** Study number (`01` of `01-03`). */
  readonly study: number;
  /** Series number (`03` of `01-03`). */
  readonly series: number;
  readonly bodypart: string;
  readonly modality: string;
  readonly technique: string;
  /** `2D` or `3D`. */
  readonly acqdim: string;
  /** `SAGITTAL`, `CORONAL` or `AXIAL` (anything else is stored as axial). */
  readonly orientation: string;
  readonly excontrast: string;
  readonly extras?: readonly string[];
  /** The sidecar's SeriesDescription. */
  readonly description: string;
  /** In-plane acquired resolution in mm (the sidecar's AcquiredResolution). */
  readonly resolution: readonly [number, number];
  /** Slice thickness in mm. */
  readonly thickness: number;
  /**
   * Centre-to-centre slice distance of a 2D image (thickness + gap); default the thickness.
   * 3D images have none (the sidecar's SliceSpacing is null).
   */
  readonly spacing?: number | null;
  /** Further SeriesInfo keys (EchoTime, RepetitionTime, ...), written over the generated ones. */
  readonly info?: Readonly<Record<string, unknown>>;
  /** Default `{ kind: "magnitude" }`. */
  readonly signal?: SignalSpec;
}

/** The built-in protocols. */
export type ProtocolName = "bench" | "mp2rage";

/** The MP2RAGE sets: a complete complex one, a complete magnitude/phase one, an invalid one. */
export type Mp2rageSet = "complex" | "magphase" | "magnitude";

type Brain3D = Pick<ImageSpec, "bodypart" | "acqdim" | "orientation" | "excontrast">;
const SAG_3D_PRE: Brain3D = {
  bodypart: "BRAIN",
  acqdim: "3D",
  orientation: "SAGITTAL",
  excontrast: "PRE",
};

/** Freezes a table and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const MEMPRAGE_TE = [1.81, 3.6, 5.39, 7.18];
/** Apparent T2* of the echo decay, ms. */
const MEMPRAGE_T2STAR = 40;

/**
 * The reference benchmark's session: 12 images, the MEMPRAGE echoes one series (01-03), every
 * other image a series of its own in this order (01-01, the localizer, is never converted).
 */
export const BENCH_PROTOCOL: readonly ImageSpec[] = deepFreeze([
  {
    study: 1,
    series: 2,
    ...SAG_3D_PRE,
    modality: "T1",
    technique: "IRFSPGR",
    description: "SAG 3D T1 IR-FSPGR",
    resolution: [1, 1],
    thickness: 1,
    info: { EchoTime: 2.9, RepetitionTime: 7.1, InversionTime: 450, FlipAngle: 12 },
  },
  ...MEMPRAGE_TE.map(
    (te, i): ImageSpec => ({
      study: 1,
      series: 3,
      ...SAG_3D_PRE,
      modality: "T1",
      technique: "IRFSPGR",
      extras: [`ECHO${i + 1}`],
      description: "SAG T1 MEMPRAGE",
      resolution: [1, 1],
      thickness: 1,
      info: { EchoTime: te, RepetitionTime: 2530, InversionTime: 1100, FlipAngle: 7 },
      signal: { kind: "magnitude", gain: Math.exp(-te / MEMPRAGE_T2STAR) },
    }),
  ),
  {
    study: 1,
    series: 4,
    bodypart: "BRAIN",
    modality: "T2",
    technique: "FSE",
    acqdim: "2D",
    orientation: "AXIAL",
    excontrast: "PRE",
    description: "AX T2 FSE",
    resolution: [0.9375, 0.9375],
    thickness: 3,
    spacing: 3,
    info: { EchoTime: 102, RepetitionTime: 5000, FlipAngle: 90, EchoTrainLength: 18 },
  },
  {
    study: 1,
    series: 5,
    ...SAG_3D_PRE,
    modality: "FLAIR",
    technique: "IRFSE",
    description: "SAG 3D FLAIR CUBE",
    resolution: [1, 1],
    thickness: 1.2,
    info: { EchoTime: 120, RepetitionTime: 6000, InversionTime: 1800, FlipAngle: 90 },
  },
  {
    study: 1,
    series: 6,
    bodypart: "BRAIN",
    modality: "PD",
    technique: "FSE",
    acqdim: "2D",
    orientation: "AXIAL",
    excontrast: "PRE",
    description: "AX PD FSE",
    resolution: [0.9375, 0.9375],
    thickness: 3,
    spacing: 3.3,
    info: { EchoTime: 12, RepetitionTime: 3000, FlipAngle: 90, EchoTrainLength: 8 },
  },
  {
    study: 1,
    series: 7,
    bodypart: "BRAIN",
    modality: "T1",
    technique: "SE",
    acqdim: "2D",
    orientation: "AXIAL",
    excontrast: "POST",
    description: "AX T1 SE +C",
    resolution: [0.9375, 0.9375],
    thickness: 3,
    spacing: 3.3,
    info: { EchoTime: 10, RepetitionTime: 550, FlipAngle: 90, ExContrastAgent: "GADAVIST" },
  },
  {
    study: 1,
    series: 8,
    ...SAG_3D_PRE,
    excontrast: "POST",
    modality: "T1",
    technique: "IRFSPGR",
    description: "SAG 3D T1 IR-FSPGR +C",
    resolution: [1, 1],
    thickness: 1,
    info: {
      EchoTime: 2.9,
      RepetitionTime: 7.1,
      InversionTime: 450,
      FlipAngle: 12,
      ExContrastAgent: "GADAVIST",
    },
  },
  {
    study: 1,
    series: 9,
    bodypart: "BRAIN",
    modality: "DIFF",
    technique: "EPI",
    acqdim: "2D",
    orientation: "AXIAL",
    excontrast: "PRE",
    extras: ["ND"],
    description: "AX DTI_ND",
    resolution: [2, 2],
    thickness: 3,
    spacing: 3,
    info: {
      EchoTime: 80,
      RepetitionTime: 8000,
      FlipAngle: 90,
      ImageType: ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE", "ND"],
    },
  },
  {
    study: 1,
    series: 10,
    bodypart: "BRAIN",
    modality: "SWI",
    technique: "GRE",
    acqdim: "3D",
    orientation: "AXIAL",
    excontrast: "PRE",
    description: "AX 3D SWI",
    resolution: [0.9375, 0.9375],
    thickness: 1.5,
    info: { EchoTime: 20, RepetitionTime: 28, FlipAngle: 15 },
  },
] satisfies ImageSpec[]);

const COMPONENT: Record<ComplexPart, string> = {
  REA: "REAL",
  IMA: "IMAGINARY",
  MAG: "MAGNITUDE",
  PHA: "PHASE",
};
const IMAGE_TYPE_LETTER: Record<ComplexPart, string> = { REA: "R", IMA: "I", MAG: "M", PHA: "P" };

function mp2rageImage(series: number, inversion: 1 | 2, part: ComplexPart): ImageSpec {
  return {
    study: 1,
    series,
    ...SAG_3D_PRE,
    modality: "T1",
    technique: "IRFSPGR",
    extras: [`INV${inversion}`, part],
    description: `SAG MP2RAGE INV${inversion}`,
    resolution: [1, 1],
    thickness: 1,
    info: {
      EchoTime: 2.9,
      RepetitionTime: 5000,
      InversionTime: inversion === 1 ? 700 : 2500,
      FlipAngle: inversion === 1 ? 4 : 5,
      ComplexImageComponent: COMPONENT[part],
      ImageType: ["ORIGINAL", "PRIMARY", IMAGE_TYPE_LETTER[part], "ND"],
    },
    signal: { kind: "mp2rage", inversion, part },
  };
}

/** First series of the MP2RAGE images (INV1; INV2 is the next one), after the benchmark's. */
const MP2RAGE_SERIES = 11;

function mp2rageSet(parts: readonly ComplexPart[]): readonly ImageSpec[] {
  return deepFreeze(
    ([1, 2] as const).flatMap((inversion) =>
      parts.map((part) => mp2rageImage(MP2RAGE_SERIES + inversion - 1, inversion, part)),
    ),
  );
}

/**
 * The MP2RAGE images the `mp2rage` protocol adds to the benchmark's: `complex` (INV1/INV2 x
 * REA/IMA), `magphase` (x MAG/PHA) and `magnitude` (MAG only: a set staging must refuse).
 */
export const MP2RAGE_SETS: Readonly<Record<Mp2rageSet, readonly ImageSpec[]>> = deepFreeze({
  complex: mp2rageSet(["REA", "IMA"]),
  magphase: mp2rageSet(["MAG", "PHA"]),
  magnitude: mp2rageSet(["MAG"]),
});

/** The images of a built-in protocol: `bench`, or `mp2rage` (bench + an MP2RAGE set). */
export function protocolImages(
  protocol: ProtocolName = "bench",
  mp2rage: Mp2rageSet = "complex",
): readonly ImageSpec[] {
  if (protocol === "bench") return BENCH_PROTOCOL;
  if (protocol === "mp2rage") {
    const set = MP2RAGE_SETS[mp2rage];
    if (!Object.hasOwn(MP2RAGE_SETS, mp2rage) || !set) {
      throw new RangeError(`mp2rage must be complex, magphase or magnitude, got ${mp2rage}`);
    }
    return [...BENCH_PROTOCOL, ...set];
  }
  throw new RangeError(`protocol must be bench or mp2rage, got ${String(protocol)}`);
}
