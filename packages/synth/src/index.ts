/**
 * @radifox/synth: synthetic RADIFOX studies (real .nii.gz images and radifox-convert sidecars)
 * for tests, benchmarks and demos.
 * @packageDocumentation
 */
export {
  type ComplexPart,
  type Shape3,
  type SmoothNoiseOptions,
  type SynthDtype,
  smoothNoise,
} from "./noise.js";
export type { SynthOptions } from "./options.js";
export {
  BENCH_PROTOCOL,
  type ImageSpec,
  MP2RAGE_SETS,
  type Mp2rageSet,
  type ProtocolName,
  protocolImages,
  type SignalSpec,
} from "./protocols.js";
export { generateStudy, type SynthSession, type SynthStudy, type SynthSubject } from "./study.js";
