// generateStudy: subjects x sessions x protocol images, written as RADIFOX nii/ folders.
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createImage, setQform, setSform, writeImage } from "@radifox/nifti";
import { imageAffine } from "./geometry.js";
import {
  DEFAULT_GRID,
  DEFAULT_NOISE,
  DEFAULT_RANGE,
  renderComplex,
  renderMagnitude,
} from "./noise.js";
import { imageName, type ResolvedOptions, resolveOptions, type SynthOptions } from "./options.js";
import type { ImageSpec } from "./protocols.js";
import { deriveSeed } from "./random.js";
import { sidecarDocument, sidecarText } from "./sidecar.js";

/** One generated session. */
export interface SynthSession {
  /** Session id and folder name (`1`, `2`, ...). */
  readonly id: string;
  /** The session folder. */
  readonly dir: string;
  /** The `.nii.gz` files, in protocol order; each has a `.json` sidecar beside it. */
  readonly images: string[];
}

/** One generated subject. */
export interface SynthSubject {
  /** Subject id and folder name (`BENCH-0001`). */
  readonly id: string;
  readonly dir: string;
  readonly sessions: SynthSession[];
}

/** What {@link generateStudy} wrote. */
export interface SynthStudy {
  /** The root folder (absolute). */
  readonly root: string;
  readonly subjects: SynthSubject[];
  /** Files written: every image and every sidecar. */
  readonly files: number;
  /** Their total size in bytes. */
  readonly bytes: number;
}

interface Job {
  readonly spec: ImageSpec;
  readonly index: number;
  readonly name: string;
  readonly dir: string;
  readonly project: string;
  readonly subjectNumber: string;
  readonly subjectId: string;
  readonly sessionId: string;
  readonly subjectIndex: number;
  readonly sessionIndex: number;
}

/** Signal range of each MP2RAGE inversion: INV1 is negative where T1 is long. */
const MP2RAGE_RANGE: Record<1 | 2, readonly [number, number]> = {
  1: [-1200, 600],
  2: [300, 1800],
};

function render(job: Job, options: ResolvedOptions): Int16Array | Float32Array {
  const { spec, subjectId, sessionId } = job;
  const { seed, shape, dtype, head } = options;
  const signal = spec.signal ?? { kind: "magnitude" };
  if (signal.kind === "mp2rage") {
    const acquisition = [seed, subjectId, sessionId, "mp2rage", spec.study] as const;
    const inversion = signal.inversion;
    return renderComplex(shape, {
      signalSeed: deriveSeed(...acquisition, "signal", inversion),
      phaseSeed: deriveSeed(...acquisition, "phase"),
      noiseSeeds: [
        deriveSeed(...acquisition, "noise", inversion, "re"),
        deriveSeed(...acquisition, "noise", inversion, "im"),
      ],
      dtype,
      grid: DEFAULT_GRID,
      range: MP2RAGE_RANGE[inversion],
      noise: DEFAULT_NOISE,
      head,
      part: signal.part,
    });
  }
  // Images of one series (the echoes of a MEMPRAGE) share their field: the same anatomy.
  return renderMagnitude(shape, {
    fieldSeed: deriveSeed(seed, subjectId, sessionId, "field", spec.study, spec.series),
    noiseSeed: deriveSeed(seed, subjectId, sessionId, "noise", job.index),
    dtype,
    grid: DEFAULT_GRID,
    range: DEFAULT_RANGE,
    noise: DEFAULT_NOISE,
    gain: signal.gain ?? 1,
    head,
  });
}

/** Writes one image and its sidecar; returns the bytes written. */
async function writeJob(job: Job, options: ResolvedOptions, signal?: AbortSignal): Promise<number> {
  const data = render(job, options);
  const affine = imageAffine(job.spec, options.shape, options.oblique);
  const plain = createImage({
    data,
    shape: options.shape,
    // mm and seconds, as dcm2niix writes them.
    fields: { xyztUnits: 10, descrip: "radifox-synth" },
  });
  // qform = sform, both code 1 (scanner), as dcm2niix writes them.
  const image = plain.withHeader(setSform(setQform(plain.header, affine, 1), affine, 1));
  const niiPath = join(job.dir, `${job.name}.nii.gz`);
  await writeImage(niiPath, image, {
    gzipLevel: options.gzipLevel,
    // Scratch data: no fsync per file.
    durable: false,
    ...(signal ? { signal } : {}),
  });
  const text = sidecarText(
    sidecarDocument({
      spec: job.spec,
      name: job.name,
      project: options.project,
      subjectNumber: job.subjectNumber,
      subjectId: job.subjectId,
      sessionId: job.sessionId,
      subjectIndex: job.subjectIndex,
      sessionIndex: job.sessionIndex,
      shape: options.shape,
      seed: options.seed,
    }),
  );
  await writeFile(join(job.dir, `${job.name}.json`), text);
  const { size } = await stat(niiPath);
  return size + Buffer.byteLength(text);
}

/**
 * Generates a synthetic RADIFOX study: `<root>/<PROJECT>-<NNNN>/<session>/nii/<name>.nii.gz`
 * and `<name>.json` for every subject, session and protocol image. Deterministic for a given
 * `seed`: the same options write the same voxels and sidecars. Images are generated and
 * written `concurrency` at a time (each holds one volume in memory).
 */
export async function generateStudy(options: SynthOptions): Promise<SynthStudy> {
  const resolved = resolveOptions(options);
  const { signal } = options;
  signal?.throwIfAborted();
  const root = resolve(resolved.root);
  const jobs: Job[] = [];
  const subjects: SynthSubject[] = [];
  for (let s = 0; s < resolved.subjects; s++) {
    const subjectNumber = String(s + 1).padStart(4, "0");
    const subjectId = `${resolved.project}-${subjectNumber}`;
    const subjectDir = join(root, subjectId);
    const sessions: SynthSession[] = [];
    for (let k = 0; k < resolved.sessions; k++) {
      const sessionId = String(k + 1);
      const sessionDir = join(subjectDir, sessionId);
      const niiDir = join(sessionDir, "nii");
      const images: string[] = [];
      resolved.images.forEach((spec, index) => {
        const name = imageName(subjectId, sessionId, spec);
        images.push(join(niiDir, `${name}.nii.gz`));
        jobs.push({
          spec,
          index,
          name,
          dir: niiDir,
          project: resolved.project,
          subjectNumber,
          subjectId,
          sessionId,
          subjectIndex: s,
          sessionIndex: k,
        });
      });
      sessions.push({ id: sessionId, dir: sessionDir, images });
    }
    subjects.push({ id: subjectId, dir: subjectDir, sessions });
  }
  for (const dir of new Set(jobs.map((job) => job.dir))) await mkdir(dir, { recursive: true });

  let next = 0;
  let done = 0;
  let bytes = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < jobs.length) {
      const job = jobs[next++] as Job;
      try {
        signal?.throwIfAborted();
        // Not `bytes += await ...`: that would read `bytes` before the other workers add to it.
        const written = await writeJob(job, resolved, signal);
        bytes += written;
        done++;
        options.onProgress?.(done, jobs.length);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.min(resolved.concurrency, jobs.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
  return { root, subjects, files: jobs.length * 2, bytes };
}
