// The options of generateStudy, checked and with their defaults filled in.
import { formatName } from "@radifox/naming";
import { checkShape, type Shape3, type SynthDtype } from "./noise.js";
import { type ImageSpec, type Mp2rageSet, type ProtocolName, protocolImages } from "./protocols.js";

/** Options of {@link generateStudy}. */
export interface SynthOptions {
  /** Folder the subjects are written to; created if missing. */
  readonly root: string;
  /** Project id, the first part of subject ids (`BENCH` -> `BENCH-0001`); default `BENCH`. */
  readonly project?: string;
  /** Number of subjects; default 1. */
  readonly subjects?: number;
  /** Sessions per subject (folders `1`, `2`, ...); default 3. */
  readonly sessions?: number;
  /**
   * `bench` (the reference benchmark's 12 images), `mp2rage` (bench + an MP2RAGE set) or a
   * list of image specs. Default `bench`, or `mp2rage` when `mp2rage` is given.
   */
  readonly protocol?: ProtocolName | readonly ImageSpec[];
  /** Only the first N images of the protocol. */
  readonly images?: number;
  /** The MP2RAGE set of the `mp2rage` protocol; default `complex`. */
  readonly mp2rage?: Mp2rageSet;
  /** Shape of every image, x fastest; default `[256, 256, 176]`. */
  readonly shape?: Shape3;
  /** Voxel type; default `int16`. */
  readonly dtype?: SynthDtype;
  /** Seed of every random value; default 1. */
  readonly seed?: number;
  /** Tilt of every image about the left-right axis, degrees (-45..45); default 0. */
  readonly oblique?: number;
  /** Confine the signal to an ellipsoidal head (smaller files); default false. */
  readonly head?: boolean;
  /** Images generated and written at a time; default 2. */
  readonly concurrency?: number;
  /** zlib level of the `.nii.gz` files, 0-9; default 1 (nibabel's). */
  readonly gzipLevel?: number;
  /** Called after each image (and its sidecar) is written. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the generation; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A bad option: the message says which and why. */
export class SynthOptionError extends RangeError {
  override readonly name = "SynthOptionError";
}

export interface ResolvedOptions {
  readonly root: string;
  readonly project: string;
  readonly subjects: number;
  readonly sessions: number;
  readonly images: readonly ImageSpec[];
  readonly shape: Shape3;
  readonly dtype: SynthDtype;
  readonly seed: number;
  readonly oblique: number;
  readonly head: boolean;
  readonly concurrency: number;
  readonly gzipLevel: number;
}

export const DEFAULT_SHAPE: Shape3 = [256, 256, 176];

function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new SynthOptionError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function positive(name: string, value: unknown): void {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw new SynthOptionError(`${name} must be a positive number, got ${String(value)}`);
  }
}

function checkSpec(spec: ImageSpec, index: number): void {
  const where = `protocol image ${index + 1}`;
  if (spec === null || typeof spec !== "object") {
    throw new SynthOptionError(`${where} must be an object`);
  }
  integer(`${where}: study`, spec.study, 0, 0, 99);
  integer(`${where}: series`, spec.series, 0, 0, 99);
  if (!Array.isArray(spec.resolution) || spec.resolution.length !== 2) {
    throw new SynthOptionError(`${where}: resolution must be [r, r]`);
  }
  positive(`${where}: resolution`, spec.resolution[0]);
  positive(`${where}: resolution`, spec.resolution[1]);
  positive(`${where}: thickness`, spec.thickness);
  if (spec.spacing !== undefined && spec.spacing !== null)
    positive(`${where}: spacing`, spec.spacing);
  if (typeof spec.description !== "string") {
    throw new SynthOptionError(`${where}: description must be a string`);
  }
  const signal = spec.signal;
  if (signal !== undefined) {
    if (signal.kind === "magnitude") {
      if (signal.gain !== undefined && !Number.isFinite(signal.gain)) {
        throw new SynthOptionError(`${where}: signal gain must be a finite number`);
      }
    } else if (signal.kind === "mp2rage") {
      if (signal.inversion !== 1 && signal.inversion !== 2) {
        throw new SynthOptionError(`${where}: mp2rage inversion must be 1 or 2`);
      }
      if (!["REA", "IMA", "MAG", "PHA"].includes(signal.part)) {
        throw new SynthOptionError(`${where}: mp2rage part must be REA, IMA, MAG or PHA`);
      }
    } else {
      throw new SynthOptionError(`${where}: signal kind must be magnitude or mp2rage`);
    }
  }
}

/** The protocol's images, checked: each must make a valid RADIFOX name, all names distinct. */
function resolveImages(options: SynthOptions): readonly ImageSpec[] {
  const { protocol, mp2rage } = options;
  let images: readonly ImageSpec[];
  if (Array.isArray(protocol)) {
    if (mp2rage !== undefined) {
      throw new SynthOptionError('mp2rage applies to protocol "mp2rage" only');
    }
    if (protocol.length === 0) throw new SynthOptionError("protocol has no images");
    images = protocol as readonly ImageSpec[];
  } else {
    const name = protocol ?? (mp2rage === undefined ? "bench" : "mp2rage");
    if (name !== "bench" && name !== "mp2rage") {
      throw new SynthOptionError(
        `protocol must be bench, mp2rage or a list of images, got ${name}`,
      );
    }
    if (name === "bench" && mp2rage !== undefined) {
      throw new SynthOptionError('mp2rage applies to protocol "mp2rage" only');
    }
    if (mp2rage !== undefined && !["complex", "magphase", "magnitude"].includes(mp2rage)) {
      throw new SynthOptionError(`mp2rage must be complex, magphase or magnitude, got ${mp2rage}`);
    }
    images = protocolImages(name, mp2rage);
  }
  const count = integer("images", options.images, images.length, 1, images.length);
  images = images.slice(0, count);
  const names = new Set<string>();
  images.forEach((spec, index) => {
    checkSpec(spec, index);
    let name: string;
    try {
      name = imageName("S", "1", spec);
    } catch (error) {
      throw new SynthOptionError(
        `protocol image ${index + 1}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (names.has(name)) {
      throw new SynthOptionError(`protocol image ${index + 1} repeats the name of an earlier one`);
    }
    names.add(name);
  });
  return images;
}

/** The RADIFOX name (no extension) of an image of a session. */
export function imageName(subjectId: string, sessionId: string, spec: ImageSpec): string {
  return formatName({
    subjectId,
    sessionId,
    studyNumber: spec.study,
    seriesNumber: spec.series,
    bodypart: spec.bodypart,
    modality: spec.modality,
    technique: spec.technique,
    acqdim: spec.acqdim,
    orientation: spec.orientation,
    excontrast: spec.excontrast,
    extras: spec.extras ?? [],
  });
}

/** Checks every option and fills in the defaults; throws {@link SynthOptionError}. */
export function resolveOptions(options: SynthOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new SynthOptionError("options must be an object");
  }
  if (typeof options.root !== "string" || options.root === "") {
    throw new SynthOptionError("root must be a folder path");
  }
  const project = options.project ?? "BENCH";
  if (typeof project !== "string" || !/^[A-Za-z0-9]+$/.test(project)) {
    throw new SynthOptionError(`project must be letters and digits, got ${String(project)}`);
  }
  const shape = options.shape ?? DEFAULT_SHAPE;
  try {
    checkShape(shape);
  } catch (error) {
    throw new SynthOptionError((error as Error).message);
  }
  const dtype = options.dtype ?? "int16";
  if (dtype !== "int16" && dtype !== "float32") {
    throw new SynthOptionError(`dtype must be int16 or float32, got ${String(dtype)}`);
  }
  const oblique = options.oblique ?? 0;
  if (typeof oblique !== "number" || !Number.isFinite(oblique) || Math.abs(oblique) > 45) {
    throw new SynthOptionError(
      `oblique must be a number of degrees from -45 to 45, got ${oblique}`,
    );
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new SynthOptionError("onProgress must be a function");
  }
  return {
    root: options.root,
    project: project.toUpperCase(),
    subjects: integer("subjects", options.subjects, 1, 1, 9999),
    sessions: integer("sessions", options.sessions, 3, 1, 999),
    images: resolveImages(options),
    shape: [shape[0], shape[1], shape[2]],
    dtype,
    seed: integer("seed", options.seed, 1, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    oblique,
    head: options.head ?? false,
    concurrency: integer("concurrency", options.concurrency, 2, 1, 64),
    gzipLevel: integer("gzipLevel", options.gzipLevel, 1, 0, 9),
  };
}
