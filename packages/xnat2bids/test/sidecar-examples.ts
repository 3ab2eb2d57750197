// Test data: sidecar keys that meet what BIDS requires of each suffix, so that datasets built
// by the tests check clean. Values are plausible, not significant.

/** Keys a sidecar of each suffix must have, with example values. */
export const REQUIRED_SIDECAR_EXAMPLES = {
  bold: { RepetitionTime: 2, TaskName: "rest" },
  physio: { SamplingFrequency: 100, StartTime: 0, Columns: ["cardiac"] },
  phasediff: { EchoTime1: 0.00492, EchoTime2: 0.00738 },
  epi: { PhaseEncodingDirection: "j-", TotalReadoutTime: 0.05 },
  asl: {
    ArterialSpinLabelingType: "PCASL",
    PostLabelingDelay: 1.8,
    BackgroundSuppression: false,
    M0Type: "Separate",
    TotalAcquiredPairs: 30,
    RepetitionTimePreparation: 4,
    MagneticFieldStrength: 3,
    MRAcquisitionType: "3D",
    EchoTime: 0.012,
    LabelingDuration: 1.8,
  },
  m0scan: { RepetitionTimePreparation: 4, EchoTime: 0.012 },
} as const;
