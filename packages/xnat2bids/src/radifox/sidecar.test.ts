import { SeriesInfo } from "@radifox/naming";
import { describe, expect, it } from "vitest";
import { formatBidsSidecar, millisecondsToSeconds, radifoxSidecarToBids } from "./sidecar.js";

describe("millisecondsToSeconds", () => {
  it("moves the decimal point without float noise or rounding", () => {
    expect(2.1 / 1000).not.toBe(0.0021);
    expect(millisecondsToSeconds(2.1)).toBe(0.0021);
    expect(millisecondsToSeconds(2.9)).toBe(0.0029);
    expect(millisecondsToSeconds(2530)).toBe(2.53);
    expect(millisecondsToSeconds(1.81)).toBe(0.00181);
    expect(millisecondsToSeconds(2.4567891)).toBe(0.0024567891);
    expect(millisecondsToSeconds(1e-7)).toBe(1e-10);
    expect(millisecondsToSeconds(0)).toBe(0);
  });
});

describe("radifoxSidecarToBids", () => {
  const info = {
    AcqDateTime: "2024-01-08 08:06:00",
    AcquisitionDimension: "3D",
    DeviceIdentifier: "0000123",
    EchoTime: 2.9,
    EchoTrainLength: 1,
    ExContrastAgent: null,
    FlipAngle: 12.0,
    ImageType: ["ORIGINAL", "PRIMARY", "M", "ND"],
    InstitutionName: "SYNTHETIC MEDICAL CENTER",
    InversionTime: 450.0,
    MagneticFieldStrength: 3.0,
    Manufacturer: "SIEMENS",
    NumberOfAverages: 1.0,
    PercentSampling: 100.0,
    PixelBandwidth: 240.0,
    ReceiveCoilName: "HeadNeck_64",
    RepetitionTime: 2530.0,
    ScanOptions: ["IR"],
    ScannerModelName: "Prisma_fit",
    SequenceName: "*tfl3d1_16ns",
    SequenceType: ["GR", "IR"],
    SequenceVariant: "SK",
    SeriesDescription: "t1_mprage_sag",
    SeriesNumber: 3,
    SeriesUID: "1.2.3",
    SliceThickness: 1.0,
    SoftwareVersions: ["syngo MR XA30", "extra"],
    SourcePath: "dcm/1.2.3",
    StudyUID: "1.2",
    TriggerTime: 0,
  };

  it("renames, converts times to seconds and leaves other keys out", () => {
    expect(radifoxSidecarToBids(info)).toEqual({
      DeviceSerialNumber: "0000123",
      EchoTime: 0.0029,
      EchoTrainLength: 1,
      FlipAngle: 12,
      ImageType: ["ORIGINAL", "PRIMARY", "M", "ND"],
      InstitutionName: "SYNTHETIC MEDICAL CENTER",
      InversionTime: 0.45,
      MRAcquisitionType: "3D",
      MagneticFieldStrength: 3,
      Manufacturer: "SIEMENS",
      ManufacturersModelName: "Prisma_fit",
      NumberOfAverages: 1,
      PercentSampling: 100,
      PixelBandwidth: 240,
      ReceiveCoilName: "HeadNeck_64",
      RepetitionTime: 2.53,
      ScanOptions: ["IR"],
      ScanningSequence: ["GR", "IR"],
      SequenceName: "*tfl3d1_16ns",
      SequenceVariant: "SK",
      SeriesDescription: "t1_mprage_sag",
      SeriesNumber: 3,
      SliceThickness: 1,
      SoftwareVersions: "syngo MR XA30 extra",
    });
  });

  it("sorts keys and takes a SeriesInfo object", () => {
    const bids = radifoxSidecarToBids(new SeriesInfo(info, "x.json"));
    const keys = Object.keys(bids);
    expect(keys).toEqual([...keys].sort());
    expect(bids.EchoTime).toBe(0.0029);
  });

  it("leaves out null, empty and ill-typed values", () => {
    expect(
      radifoxSidecarToBids({
        EchoTime: null,
        RepetitionTime: "2530",
        InversionTime: Number.NaN,
        Manufacturer: "",
        ImageType: [],
        SequenceType: [],
        SoftwareVersions: [1],
        SeriesNumber: 3.5,
        AcquisitionDimension: "4D",
        SliceThickness: Number.POSITIVE_INFINITY,
        ScannerModelName: " ",
      }),
    ).toEqual({});
  });

  it("splits a DICOM multi-value ImageType and keeps a SoftwareVersions string", () => {
    expect(
      radifoxSidecarToBids({
        ImageType: "ORIGINAL\\PRIMARY\\OTHER",
        SoftwareVersions: "27\\LX\\MR Software release:DV26.0_R03",
      }),
    ).toEqual({
      ImageType: ["ORIGINAL", "PRIMARY", "OTHER"],
      SoftwareVersions: "27\\LX\\MR Software release:DV26.0_R03",
    });
  });
});

describe("radifoxSidecarToBids with the BIDS name's fields", () => {
  it("writes the task- label as TaskName, in key order", () => {
    const bids = radifoxSidecarToBids({ RepetitionTime: 2000, EchoTime: 30 }, { task: "rest" });
    expect(Object.entries(bids)).toEqual([
      ["EchoTime", 0.03],
      ["RepetitionTime", 2],
      ["TaskName", "rest"],
    ]);
    expect(radifoxSidecarToBids({ EchoTime: 30 }, { task: undefined })).toEqual({ EchoTime: 0.03 });
  });
});

describe("formatBidsSidecar", () => {
  it("writes two-space JSON with a final newline", () => {
    expect(formatBidsSidecar({ EchoTime: 0.0029, ImageType: ["M"] })).toBe(
      '{\n  "EchoTime": 0.0029,\n  "ImageType": [\n    "M"\n  ]\n}\n',
    );
  });
});
