import { DT, datatypeInfo } from "./datatypes.js";
import { headerSize, type NiftiHeader, type NiftiHeaderFields, updateHeader } from "./header.js";
import { NIFTI2_EOL_CHECK } from "./header-layout.js";

/** One problem found in a header, and what reading did about it. */
export interface HeaderProblem {
  /** nibabel's severity: 10-35 are repaired on reading, 40 and above make nibabel refuse. */
  readonly level: number;
  readonly message: string;
  /** The repair applied, when there is one. */
  readonly fix?: string;
}

const VALID_XFORM_CODES = new Set([0, 1, 2, 3, 4, 5]);

/**
 * The checks nibabel runs when it loads a header, with the same repairs: bitpix set from the
 * datatype, zero voxel sizes set to 1 and negative ones to their absolute value, a qfac other
 * than +-1 set to 1, unknown qform/sform codes set to 0, a NIfTI-2 end-of-line check of zeros
 * restored. Problems nibabel refuses (level >= 40: unknown datatype, `vox_offset` inside the
 * header) are reported, not repaired; reading the data then fails with a clear error.
 */
export function checkHeader(header: NiftiHeader): {
  header: NiftiHeader;
  problems: HeaderProblem[];
} {
  const problems: HeaderProblem[] = [];
  const changes: Partial<NiftiHeaderFields> = {};
  let bitpix: number | undefined;
  try {
    const type = datatypeInfo(header.datatype);
    bitpix = type.bitpix;
  } catch {
    const known = header.datatype === DT.FLOAT128 || header.datatype === DT.COMPLEX256;
    problems.push({
      level: 40,
      message: `data code ${header.datatype} ${known ? "not supported" : "not recognized"}`,
    });
  }
  if (bitpix !== undefined && bitpix !== header.bitpix) {
    changes.bitpix = bitpix;
    problems.push({
      level: 10,
      message: "bitpix does not match datatype",
      fix: "setting bitpix to match datatype",
    });
  }
  const spatial = header.pixdim.slice(1, 4);
  if (spatial.some((size) => size <= 0)) {
    const messages: string[] = [];
    const fixes: string[] = [];
    let level = 0;
    let repaired = spatial;
    if (spatial.some((size) => size === 0)) {
      level = 30;
      messages.push("pixdim[1,2,3] should be non-zero");
      fixes.push("setting 0 dims to 1");
      repaired = repaired.map((size) => (size === 0 ? 1 : size));
    }
    if (spatial.some((size) => size < 0)) {
      level = 35;
      messages.push("pixdim[1,2,3] should be positive");
      fixes.push("setting to abs of pixdim values");
      repaired = repaired.map(Math.abs);
    }
    changes.pixdim = [header.pixdim[0] as number, ...repaired, ...header.pixdim.slice(4)];
    problems.push({ level, message: messages.join(" and "), fix: fixes.join(" and ") });
  }
  const qfac = header.pixdim[0];
  if (qfac !== 1 && qfac !== -1) {
    const pixdim = [...(changes.pixdim ?? header.pixdim)];
    pixdim[0] = 1;
    changes.pixdim = pixdim;
    problems.push({
      level: 20,
      message: "pixdim[0] (qfac) should be 1 (default) or -1",
      fix: "setting qfac to 1",
    });
  }
  const offset = header.voxOffset;
  if (offset !== 0) {
    if (header.magic.startsWith("n+") && offset < headerSize(header.version)) {
      problems.push({ level: 40, message: `vox offset ${offset} too low for a single file` });
    } else if (offset % 16 !== 0) {
      problems.push({
        level: 30,
        message: `vox offset (=${offset}) not divisible by 16, not SPM compatible`,
      });
    }
  }
  for (const key of ["qformCode", "sformCode"] as const) {
    if (!VALID_XFORM_CODES.has(header[key])) {
      changes[key] = 0;
      const name = key === "qformCode" ? "qform_code" : "sform_code";
      problems.push({
        level: 30,
        message: `${name} ${header[key]} not valid`,
        fix: "setting to 0",
      });
    }
  }
  if (header.version === 2 && header.eolCheck.some((v, i) => v !== NIFTI2_EOL_CHECK[i])) {
    if (header.eolCheck.every((v) => v === 0)) {
      changes.eolCheck = [...NIFTI2_EOL_CHECK];
      problems.push({
        level: 20,
        message: "EOL check all 0",
        fix: "setting EOL check to 13, 10, 26, 10",
      });
    } else {
      problems.push({
        level: 40,
        message: "EOL check not 0 or 13, 10, 26, 10; data may be corrupted by EOL conversion",
      });
    }
  }
  return {
    header: Object.keys(changes).length === 0 ? header : updateHeader(header, changes),
    problems,
  };
}
