# Writes the JSON fixture of nibabel-computed expected values that the packages/nifti tests
# compare against: headers, extensions, affines, orientations and data hashes of real NIfTI-1/2
# files (nibabel's test data and the mricron templates from Debian), plus synthetic
# set_qform / get_qform cases. Needs Debian's python3-nibabel and mricron-data, so run it with
# Debian's interpreter (the python3 on PATH may lack nibabel):
#
#   /usr/bin/python3 scripts/nifti-fixtures.py packages/nifti/test/fixtures/nibabel.json
#
# The output is deterministic (fixed seed, no timestamps) and written atomically.
#
# JSON conventions: floats are written with Python's repr (round-trips exactly, keeps -0.0);
# non-finite floats are the strings "NaN", "Infinity", "-Infinity"; numpy bytes fields are
# latin-1 decoded as numpy returns them (trailing NULs stripped). An operation that raised is
# recorded as {"error": "<ExceptionClass>: message"}.
#
# Headers are read straight from the file (Header.from_fileobj), not taken from img.header:
# nibabel's image constructor resets vox_offset to 0 and scl_slope/scl_inter to NaN in
# img.header, so it would not reflect what is on disk.
#
# Data: hashes are sha256 of the array made little-endian (same kind and size) and serialised
# in Fortran order. "float64Sum" is the correctly rounded exact sum (math.fsum semantics), not
# numpy's pairwise np.sum, so any summation order that is exact can reproduce it.
#
# A CIFTI-2 file (nib.load gives Cifti2Image) is a NIfTI-2 single file on disk; it is read as a
# Nifti2Image ("nibLoadClass" keeps what nib.load returned). Extension bytes are read from the
# file by this script, since nibabel strips trailing NULs and parses CIFTI XML into objects.
#
# nibabel computes get_qform() in np.longdouble (80-bit on x86-64: fillpositive and quat2mat),
# so its "qform" can differ in the last bits from any float64 computation. Next to each "qform"
# derived from header fields this script also writes "qformF64": the same algorithm evaluated
# in plain float64 in a fixed order (see qform_f64 below), which a float64 implementation can
# match exactly.

import gzip
import hashlib
import json
import math
import os
import sys
import tempfile
import warnings

import nibabel as nib
import numpy as np
from nibabel.orientations import io_orientation
from nibabel.spatialimages import HeaderDataError

NIBABEL_DATA = "/usr/lib/python3/dist-packages/nibabel/tests/data"
MRICRON_DATA = "/usr/share/mricron/templates"
SEED = 20240611

NIFTI_CLASSES = (nib.Nifti1Image, nib.Nifti2Image, nib.Nifti1Pair, nib.Nifti2Pair)

# ---------------------------------------------------------------------------------------------
# JSON helpers


def jsonable(x):
    """Convert numpy / Python values to JSON-safe values following the fixture rules."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return jsonable(x[()])
        return [jsonable(v) for v in x]
    if isinstance(x, (bytes, np.bytes_)):
        return bytes(x).decode("latin-1")
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    if isinstance(x, str) or x is None:
        return x
    raise TypeError(f"cannot convert {type(x)!r} to JSON")


def err(e):
    return {"error": f"{type(e).__name__}: {e}"}


def attempt(fn):
    """Run fn(); return its JSON-safe result or an error record."""
    try:
        return jsonable(fn())
    except Exception as e:  # noqa: BLE001 - recording nibabel's behaviour, whatever it is
        return err(e)


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def array_sha256(arr):
    """sha256 of arr converted to little-endian (same kind/size) in Fortran order."""
    arr = np.asarray(arr)
    le = arr.astype(arr.dtype.newbyteorder("<"))
    return sha256(le.tobytes(order="F"))


# ---------------------------------------------------------------------------------------------
# float64 re-evaluation of nibabel's get_qform (see header comment)


def qform_f64(structarr, version):
    """nibabel's Nifti{1,2}Header.get_qform() evaluated in float64, in this exact order:

    t = ((0 + b*b) + c*c) + d*d; w2 = 1 - t
    w2 < 0: w = 0 if w2 >= -3*eps (eps of float32 for NIfTI-1, float64 for NIfTI-2), else raise
    w2 >= 0: w = sqrt(w2)
    Nq = ((w*w + b*b) + c*c) + d*d; R = identity if Nq < eps64, else nibabel's quat2mat
    with s = 2/Nq, X = b*s, Y = c*s, Z = d*s, wX = w*X, ..., zZ = d*Z
    vox = pixdim[1:4] (raise if any < 0); qfac = pixdim[0] (raise unless +-1);
    vox[2] *= qfac (in the header's float type)
    M[i][j] = ((0 + R[i][0]*S[0][j]) + R[i][1]*S[1][j]) + R[i][2]*S[2][j] with S = diag(vox)
    (as numpy's non-BLAS dot does; the +0 start turns -0 into +0)
    """
    h = structarr
    b, c, d = (float(h["quatern_b"]), float(h["quatern_c"]), float(h["quatern_d"]))
    eps = float(np.finfo(np.float32 if version == 1 else np.float64).eps)
    t = 0.0
    t += b * b
    t += c * c
    t += d * d
    w2 = 1.0 - t
    if w2 < 0:
        if w2 < -eps * 3:
            raise ValueError(f"w2 should be positive, but is {w2:e}")
        w = 0.0
    else:
        w = math.sqrt(w2)
    x, y, z = b, c, d
    nq = w * w + x * x + y * y + z * z
    if nq < float(np.finfo(np.float64).eps):
        r = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    else:
        s = 2.0 / nq
        X, Y, Z = x * s, y * s, z * s
        wX, wY, wZ = w * X, w * Y, w * Z
        xX, xY, xZ = x * X, x * Y, x * Z
        yY, yZ, zZ = y * Y, y * Z, z * Z
        r = [
            [1.0 - (yY + zZ), xY - wZ, xZ + wY],
            [xY + wZ, 1.0 - (xX + zZ), yZ - wX],
            [xZ - wY, yZ + wX, 1.0 - (xX + yY)],
        ]
    pix = h["pixdim"]
    vox = pix[1:4].copy()  # header float type
    if np.any(vox < 0):
        raise HeaderDataError("pixdims[1,2,3] should be positive")
    qfac = pix[0]
    if qfac not in (-1, 1):
        raise HeaderDataError("qfac (pixdim[0]) should be 1 or -1")
    vox[-1] *= qfac
    sdiag = np.diag(vox).astype(np.float64).tolist()
    out = [[1.0 if i == j else 0.0 for j in range(4)] for i in range(4)]
    for i in range(3):
        for j in range(3):
            acc = 0.0
            for k in range(3):
                acc += r[i][k] * sdiag[k][j]
            out[i][j] = acc
    out[0][3] = float(h["qoffset_x"])
    out[1][3] = float(h["qoffset_y"])
    out[2][3] = float(h["qoffset_z"])
    return out


# ---------------------------------------------------------------------------------------------
# Real files


def open_maybe_gz(path):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def read_raw_extensions(path, version, endian, is_single, vox_offset):
    """Read header extensions from the file bytes ourselves (raw, untouched content)."""
    with open_maybe_gz(path) as f:
        raw = f.read()
    hsize = 348 if version == 1 else 540
    ext = raw[hsize : hsize + 4]
    if len(ext) < 4 or ext[0] == 0:
        return []
    limit = int(vox_offset) if is_single else len(raw)
    pos = hsize + 4
    out = []
    order = "little" if endian == "<" else "big"
    while pos + 8 <= limit:
        esize = int.from_bytes(raw[pos : pos + 4], order, signed=True)
        ecode = int.from_bytes(raw[pos + 4 : pos + 8], order, signed=True)
        if esize < 8 or pos + esize > limit:
            break
        out.append((ecode, esize, raw[pos + 8 : pos + esize]))
        pos += esize
    return out


def header_fields(hdr):
    sa = hdr.structarr
    return {name: jsonable(sa[name]) for name in sa.dtype.names}


def affine_record(hdr):
    best = hdr.get_best_affine()
    return {
        "qformCode": int(hdr["qform_code"]),
        "sformCode": int(hdr["sform_code"]),
        "qform": attempt(hdr.get_qform),
        "qformF64": attempt(lambda: qform_f64(hdr.structarr, hdr_version(hdr))),
        "sform": attempt(hdr.get_sform),
        "bestAffine": jsonable(best),
        "axcodes": attempt(lambda: list(nib.aff2axcodes(best))),
        "ioOrientation": attempt(lambda: io_orientation(best)),
    }


def hdr_version(hdr):
    return 2 if isinstance(hdr, nib.Nifti2Header) else 1


def hdrfix_record(hdr):
    """The staging header fix: qform from sform (code 2), then sform from qform (code 1)."""
    try:
        h = hdr.copy()
        h.set_qform(h.get_sform(), code=2)
        h.set_sform(h.get_qform(), code=1)
        sa = h.structarr
        rec = {k: jsonable(sa[k]) for k in QUAT_FIELDS}
        rec["pixdim"] = jsonable(sa["pixdim"])
        rec["qform_code"] = int(sa["qform_code"])
        rec["sform_code"] = int(sa["sform_code"])
        for k in ("srow_x", "srow_y", "srow_z"):
            rec[k] = jsonable(sa[k])
        rec["qform"] = jsonable(h.get_qform())
        rec["qformF64"] = attempt(lambda: qform_f64(sa, hdr_version(h)))
        return rec
    except Exception as e:  # noqa: BLE001
        return err(e)


QUAT_FIELDS = ("quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z")


def exact_sum(arr):
    """Correctly rounded sum of all elements (math.fsum semantics, not numpy's pairwise sum)."""
    flat = arr.ravel(order="K")
    if not np.all(np.isfinite(flat)):
        return float(np.sum(flat))  # NaN / inf propagate the same way in any order
    if np.all(flat == np.floor(flat)) and np.max(np.abs(flat), initial=0) < 2**31:
        return float(int(flat.astype(np.int64).sum()))
    return math.fsum(flat.tolist())


def data_record(path, load):
    img = load(path)
    unscaled = np.asanyarray(img.dataobj.get_unscaled())
    rec = {
        "storedDtype": str(unscaled.dtype),
        "storedDtypeStr": unscaled.dtype.str,
        "storedSha256": array_sha256(unscaled),
    }
    if unscaled.dtype.kind in ("V", "c"):  # RGB (structured) or complex: no float view
        for k in ("float64Sha256", "float32Sha256", "float64Min", "float64Max", "float64Sum"):
            rec[k] = None
        return rec
    f64 = img.get_fdata()
    rec["float64Sha256"] = array_sha256(f64)
    f32 = load(path).get_fdata(dtype=np.float32)
    rec["float32Sha256"] = array_sha256(f32)
    del f32
    rec["float64Min"] = jsonable(np.min(f64))
    rec["float64Max"] = jsonable(np.max(f64))
    rec["float64Sum"] = jsonable(exact_sum(f64))
    rec["float64NaNCount"] = int(np.count_nonzero(np.isnan(f64)))
    finite = f64[~np.isnan(f64)]
    rec["float64NanMin"] = jsonable(np.min(finite)) if finite.size else None
    rec["float64NanMax"] = jsonable(np.max(finite)) if finite.size else None
    return rec


def file_record(source, path):
    img = nib.load(path)
    load_class = type(img).__name__
    if isinstance(img, nib.Cifti2Image):
        # A CIFTI-2 file is a NIfTI-2 single file on disk; read it as one.
        load = nib.Nifti2Image.from_filename
        img = load(path)
    elif isinstance(img, NIFTI_CLASSES):
        load = nib.load
    else:
        return None
    klass = type(img)
    with open_maybe_gz(path) as f:
        hdr = klass.header_class.from_fileobj(f)
    version = hdr_version(hdr)
    with open(path, "rb") as f:
        file_bytes = f.read()

    rec = {
        "source": source,
        "file": os.path.basename(path),
        "bytes": len(file_bytes),
        "sha256": sha256(file_bytes),
        "class": klass.__name__,
        "nibLoadClass": load_class,
        "version": version,
        "endianness": "little" if hdr.endianness == "<" else "big",
        "header": header_fields(hdr),
    }

    raw_exts = read_raw_extensions(
        path, version, hdr.endianness, klass.header_class.is_single, hdr["vox_offset"]
    )
    nib_exts = list(hdr.extensions)
    if len(raw_exts) != len(nib_exts):
        raise RuntimeError(f"{path}: read {len(raw_exts)} extensions, nibabel {len(nib_exts)}")
    exts = []
    for (code, esize, content), ext in zip(raw_exts, nib_exts):
        if code != ext.get_code():
            raise RuntimeError(f"{path}: extension code {code} != nibabel {ext.get_code()}")
        e = {
            "code": code,
            "esize": esize,
            "nibSizeOnDisk": attempt(ext.get_sizeondisk),
            "nibClass": type(ext).__name__,
            "contentLength": len(content),
            "contentSha256": sha256(content),
        }
        if isinstance(ext.get_content(), bytes):
            # nibabel strips trailing NULs from the raw content
            e["nibContentLength"] = len(ext.get_content())
        if len(content) <= 256:
            e["contentLatin1"] = content.decode("latin-1")
        exts.append(e)
    rec["extensions"] = exts

    rec["shape"] = jsonable(img.shape)
    rec["zooms"] = jsonable(hdr.get_zooms())
    rec.update(affine_record(hdr))
    rec["slopeInter"] = attempt(hdr.get_slope_inter)
    rec["dataOffset"] = int(hdr.get_data_offset())
    rec["hdrfix"] = hdrfix_record(hdr)

    has_data = klass.header_class.is_single or os.path.exists(
        nib.filename_parser.splitext_addext(path)[0] + ".img"
    )
    rec["data"] = data_record(path, load) if has_data else None
    return rec


def real_files():
    names = sorted(
        n
        for n in os.listdir(NIBABEL_DATA)
        if n.endswith((".nii", ".nii.gz", ".hdr"))
    )
    out, skipped = [], []
    for n in names:
        path = os.path.join(NIBABEL_DATA, n)
        try:
            rec = file_record("nibabel", path)
        except Exception as e:  # noqa: BLE001
            skipped.append((n, f"{type(e).__name__}: {e}"))
            continue
        if rec is None:
            skipped.append((n, type(nib.load(path)).__name__))
        else:
            out.append(rec)
    for n in sorted(x for x in os.listdir(MRICRON_DATA) if x.endswith(".nii.gz")):
        rec = file_record("mricron", os.path.join(MRICRON_DATA, n))
        if rec is None:
            skipped.append((n, "not NIfTI"))
        else:
            out.append(rec)
    for n, why in skipped:
        print(f"skipped {n}: {why}", file=sys.stderr)
    return out


# ---------------------------------------------------------------------------------------------
# Synthetic affines for set_qform


def rot_axis_angle(axis, degrees):
    """Rotation matrix (Rodrigues) about `axis` by `degrees`."""
    a = np.asarray(axis, dtype=np.float64)
    a = a / np.sqrt(np.sum(a * a))
    t = np.deg2rad(degrees)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(t) * k + (1 - np.cos(t)) * (k @ k)


def rot_180(axis):
    """Exact-as-possible half turn: 2 n n^T - I."""
    a = np.asarray(axis, dtype=np.float64)
    a = a / np.sqrt(np.sum(a * a))
    return 2.0 * np.outer(a, a) - np.eye(3)


def quat_to_rot(q):
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def make_affine(rzs, offset):
    aff = np.eye(4)
    aff[:3, :3] = rzs
    aff[:3, 3] = offset
    return aff


def set_qform_affines(rng):
    cases = []

    def add(name, aff):
        cases.append((name, np.asarray(aff, dtype=np.float64)))

    add("identity", np.eye(4))

    # all 48 signed permutation matrices with anisotropic zooms and offsets
    zooms = np.array([0.9, 1.2, 3.0])
    perms = [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]
    for perm in perms:
        for signs in range(8):
            s = [(-1.0 if signs & (1 << i) else 1.0) for i in range(3)]
            m = np.zeros((3, 3))
            for col, row in enumerate(perm):
                m[row, col] = s[col] * zooms[col]
            tag = "".join("xyz"[p] for p in perm) + "".join("-" if v < 0 else "+" for v in s)
            add(f"perm-{tag}", make_affine(m, [-90.5, 126.25, -72.0]))

    # the 8 diagonal sign combinations, isotropic 2 mm
    for signs in range(8):
        s = [(-1.0 if signs & (1 << i) else 1.0) for i in range(3)]
        tag = "".join("-" if v < 0 else "+" for v in s)
        add(f"diag{tag}", make_affine(np.diag(s) * 2.0, [10.0, -20.0, 30.0]))

    # half turns about coordinate and diagonal axes, proper and with a flipped column
    axes = {
        "x": (1, 0, 0), "y": (0, 1, 0), "z": (0, 0, 1),
        "xy": (1, 1, 0), "xz": (1, 0, 1), "yz": (0, 1, 1),
        "x-y": (1, -1, 0), "x-z": (1, 0, -1), "y-z": (0, 1, -1),
        "xyz": (1, 1, 1), "x-yz": (1, -1, 1), "-xyz": (-1, 1, 1), "xy-z": (1, 1, -1),
    }
    for tag, axis in axes.items():
        r = rot_180(axis)
        add(f"rot180-{tag}", make_affine(r @ np.diag([1.0, 2.0, 3.0]), [1.5, -2.5, 3.5]))
        add(f"rot180-{tag}-flip", make_affine(r @ np.diag([1.0, 2.0, -3.0]), [1.5, -2.5, 3.5]))
    # half turns through Rodrigues (sin(pi) is not exactly zero) and near half turns
    for tag, axis in (("x", (1, 0, 0)), ("y", (0, 1, 0)), ("z", (0, 0, 1)), ("xyz", (1, 1, 1))):
        add(f"rodrigues180-{tag}", make_affine(rot_axis_angle(axis, 180.0), [0.0, 0.0, 0.0]))
    for tag, axis in (("x", (1, 0, 0)), ("y", (0, 1, 0)), ("xz", (1, 0, 1))):
        for delta in (1e-6, 1e-3):
            for sgn in (-1, 1):
                deg = 180.0 + sgn * delta
                name = f"rot{deg!r}-{tag}"
                add(name, make_affine(rot_axis_angle(axis, deg), [5.0, 6.0, 7.0]))

    # seeded uniformly random rotations, zooms 0.5..4, offsets -150..150, half with a flip
    for i in range(80):
        q = rng.normal(size=4)
        q /= np.sqrt(np.sum(q * q))
        r = quat_to_rot(q)
        z = rng.uniform(0.5, 4.0, size=3)
        if i % 2:
            z[rng.integers(0, 3)] *= -1
        off = rng.uniform(-150.0, 150.0, size=3)
        add(f"random-{i:02d}", make_affine(r @ np.diag(z), off))

    # small oblique angles about coordinate and random axes, RAS and LAS
    small = [0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0]
    for deg in small:
        for tag, axis in (("x", (1, 0, 0)), ("y", (0, 1, 0)), ("z", (0, 0, 1))):
            flip = -1.0 if tag == "y" else 1.0
            r = rot_axis_angle(axis, deg)
            add(f"oblique{deg!r}-{tag}", make_affine(r @ np.diag([flip, 1.0, 1.0]), [-90.0, -126.0, -72.0]))
    for i in range(6):
        axis = rng.normal(size=3)
        deg = float(rng.uniform(0.01, 5.0))
        r = rot_axis_angle(axis, deg)
        add(f"oblique-random-{i}", make_affine(r @ np.diag([-1.0, 1.0, 1.0]) * 1.5, rng.uniform(-100, 100, 3)))

    # shears (non-orthogonal columns): nibabel strips them by polar decomposition
    shear_specs = [
        (0, 1, 0.01), (0, 1, 0.1), (0, 2, 0.3), (1, 2, 0.05), (1, 0, 0.2),
        (2, 0, 0.15), (2, 1, -0.25), (0, 2, -0.5),
    ]
    for a, b, s in shear_specs:
        sh = np.eye(3)
        sh[a, b] = s
        add(f"shear-{a}{b}-{s!r}", make_affine(np.diag([2.0, 2.0, 2.5]) @ sh, [-50.0, 60.0, -70.0]))
    for i in range(7):
        sh = np.eye(3) + np.triu(rng.uniform(-0.2, 0.2, (3, 3)), 1)
        q = rng.normal(size=4)
        q /= np.sqrt(np.sum(q * q))
        add(f"shear-random-{i}", make_affine(quat_to_rot(q) @ np.diag(rng.uniform(0.8, 3, 3)) @ sh, rng.uniform(-100, 100, 3)))

    # scanner style: LPS->RAS flips of DICOM direction cosines (7 decimals), float32 values
    f32 = lambda v: np.asarray(v, dtype=np.float32).astype(np.float64)  # noqa: E731
    lps = np.diag([-1.0, -1.0, 1.0])
    scanner = [
        ("axial", (0, 0, 1), 0.0, [0.9375, 0.9375, 5.0], [119.53125, 97.8125, -48.2]),
        ("axial-tilt", (1, 0, 0), 12.5, [0.46875, 0.46875, 3.3], [-110.2, 131.4, 22.7]),
        ("axial-tilt2", (1, 0.2, 0), -7.3, [0.8984375, 0.8984375, 4.4], [114.0, 120.6, -30.1]),
        ("sag", (0, 0, 1), 0.0, [1.0, 1.0, 1.1999999], [-85.3, 128.0, 128.0]),
        ("sag-tilt", (0, 1, 0), 3.1, [1.0, 1.0, 1.0999999], [-80.75, 130.5, 117.25]),
        ("cor", (0, 0, 1), 0.0, [0.5, 0.5, 2.0], [128.0, 60.5, 128.0]),
        ("cor-tilt", (0, 0, 1), -15.0, [0.7, 0.7, 2.5], [120.0, 44.4, 133.3]),
        ("epi", (1, 0, 0), 20.0, [3.0, 3.0, 3.3], [96.0, 110.7, -40.9]),
        ("dwi", (1, 0.05, 0.02), -9.0, [2.0, 2.0, 2.0], [115.0, 106.2, -55.5]),
        ("asl", (1, 1, 0), 4.0, [3.4375, 3.4375, 6.0], [110.0, 109.9, -22.0]),
    ]
    base = {"axial": np.eye(3), "sag": np.array([[0, 0, 1], [1, 0, 0], [0, -1, 0]], float),
            "cor": np.array([[1, 0, 0], [0, 0, 1], [0, -1, 0]], float)}
    for tag, axis, deg, z, off in scanner:
        b = base[tag.split("-")[0]] if tag.split("-")[0] in base else np.eye(3)
        cos = np.round(rot_axis_angle(axis, deg) @ b, 7)  # DICOM-style cosines
        for variant, flip in (("", 1.0), ("-flipz", -1.0)):
            rzs = f32(lps @ cos) * f32(z) * np.array([1.0, 1.0, flip])
            add(f"scanner-{tag}{variant}", make_affine(rzs, f32(lps @ np.array(off))))

    # degenerate
    add("zero-col0", make_affine(np.diag([0.0, 2.0, 3.0]), [1.0, 2.0, 3.0]))
    add("zero-col1", make_affine(np.diag([1.0, 0.0, 3.0]), [1.0, 2.0, 3.0]))
    add("zero-col2", make_affine(np.diag([1.0, 2.0, 0.0]), [1.0, 2.0, 3.0]))
    add("all-zero", np.zeros((4, 4)))
    add("zero-rzs", make_affine(np.zeros((3, 3)), [4.0, 5.0, 6.0]))
    add("rank2", make_affine(np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 2.0]]), [0, 0, 0]))
    nan_aff = np.diag([1.0, 2.0, 3.0, 1.0])
    nan_aff[0, 1] = np.nan
    add("nan-entry", nan_aff)
    return cases


V2_SUBSET = [
    "identity", "perm-xyz+++", "perm-xyz-++", "perm-zxy+-+", "perm-yzx---", "diag-++", "diag---",
    "rot180-x", "rot180-z-flip", "rot180-xy", "rot180-xyz", "rodrigues180-y",
    "random-00", "random-01", "random-02", "random-03", "oblique0.5-y", "shear-01-0.1",
    "scanner-axial-tilt", "zero-col2", "all-zero",
]


def set_qform_case(name, aff, version):
    rec = {"name": name if version == 1 else f"{name}-v2", "version": version}
    rec["affine"] = jsonable(aff)
    h = nib.Nifti1Header() if version == 1 else nib.Nifti2Header()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            h.set_qform(aff, code=1)
    except Exception as e:  # noqa: BLE001
        rec.update(err(e))
    else:
        sa = h.structarr
        for k in QUAT_FIELDS:
            rec[k] = jsonable(sa[k])
        rec["pixdim"] = jsonable(sa["pixdim"])
        rec["qform"] = attempt(h.get_qform)
        rec["qformF64"] = attempt(lambda: qform_f64(sa, version))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec["axcodes"] = attempt(lambda: list(nib.aff2axcodes(aff)))
        rec["ioOrientation"] = attempt(lambda: io_orientation(aff))
    return rec


def set_qform_cases(rng):
    affs = set_qform_affines(rng)
    out = [set_qform_case(n, a, 1) for n, a in affs]
    by_name = dict(affs)
    missing = [n for n in V2_SUBSET if n not in by_name]
    if missing:
        raise RuntimeError(f"V2_SUBSET names not generated: {missing}")
    out += [set_qform_case(n, by_name[n], 2) for n in V2_SUBSET]
    return out


# ---------------------------------------------------------------------------------------------
# Synthetic quaternion headers for get_qform


def get_qform_inputs(rng):
    cases = []

    def add(name, quat, pixdim, qoffset, version):
        cases.append((name, [float(v) for v in quat], [float(v) for v in pixdim],
                      [float(v) for v in qoffset], version))

    # random unit quaternions with w > 0
    for i in range(60):
        q = rng.normal(size=4)
        q /= np.sqrt(np.sum(q * q))
        if q[0] < 0:
            q = -q
        qfac = 1.0 if i % 2 else -1.0
        pix = [qfac, *rng.uniform(0.5, 4.0, 3)]
        version = 1 if i < 40 else 2
        add(f"random-{i:02d}", q[1:], pix, rng.uniform(-150, 150, 3), version)

    # norm exactly 1 (w = 0) in real numbers; float32 rounding may move it either way
    r3, r2 = math.sqrt(1 / 3), math.sqrt(0.5)
    exact = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (-1, 0, 0), (0.6, 0.8, 0), (0, -0.6, 0.8),
             (r2, r2, 0), (r2, 0, -r2), (r3, r3, r3), (0.36, 0.48, 0.8)]
    for i, q in enumerate(exact):
        for version in (1, 2):
            add(f"unit-norm-{i}", q, [1.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0], version)

    # norm^2 slightly above 1: 1 + k*eps for the header's float type (threshold is 3*eps)
    for version, ftype in ((1, np.float32), (2, np.float64)):
        one = ftype(1.0)
        up = one
        for steps in range(1, 5):  # b = 1 + steps ulp, so b^2 - 1 ~ 2*steps*eps
            up = np.nextafter(up, ftype(2.0))
            add(f"above-1-b{steps}ulp", (up, 0, 0), [-1.0, 1.0, 1.0, 1.0], [0, 0, 0], version)
        for k in (0.5, 1.0, 2.0, 2.9, 3.0, 3.1, 4.0, 10.0, 100.0):
            eps = float(np.finfo(ftype).eps)
            # spread the excess over c and d so each component is representable-ish
            base = np.array([0.6, 0.8, 0.0])
            scale = math.sqrt(1.0 + k * eps)
            add(f"above-1-{k!r}eps", base * scale, [1.0, 2.0, 2.0, 2.0], [0, 0, 0], version)
        # components each rounded up one ulp from an exact unit vector
        add("above-1-ulps-each", [np.nextafter(ftype(v), ftype(2)) for v in (0.6, 0.8, 0.0)],
            [1.0, 1.0, 1.0, 1.0], [0, 0, 0], version)

    # norm^2 slightly below 1: w tiny but positive
    for version in (1, 2):
        for k in (1e-3, 1e-6, 1e-9, 1e-12):
            add(f"below-1-{k!r}", [math.sqrt(1 - k), 0, 0], [1, 1, 1, 1], [0, 0, 0], version)

    # tiny / zero / denormal values
    tiny = [(0, 0, 0), (-0.0, -0.0, -0.0), (1e-10, 0, 0), (0, 1e-20, 0), (1e-30, 1e-30, 1e-30),
            (1e-45, 0, 0), (1e-38, -1e-39, 0), (5e-324, 0, 0)]
    for i, q in enumerate(tiny):
        add(f"tiny-{i}", q, [1, 1.5, 1.5, 1.5], [-0.0, 0.0, 12.5], 1)
        add(f"tiny-{i}", q, [-1, 1.5, 1.5, 1.5], [-0.0, 0.0, 12.5], 2)

    # qfac and pixdim variants (qfac must be +-1, pixdim[1:4] non-negative)
    q = [0.1, -0.2, 0.3]
    for qfac in (1.0, -1.0, 0.0, 2.0, -0.5, -0.0, float("nan")):
        for version in (1, 2):
            add(f"qfac-{qfac!r}", q, [qfac, 1.0, 2.0, 3.0], [10, 20, 30], version)
    for tag, pix in (("zero-zooms", [1, 0, 0, 0]), ("neg-zoom", [1, 1, -2, 3]),
                     ("neg-zero-zoom", [1, -0.0, 1, 1]), ("big-zoom", [-1, 1e30, 1, 1e-30])):
        for version in (1, 2):
            add(f"pixdim-{tag}", q, pix, [0, 0, 0], version)

    # non-finite quaternion components / offsets
    add("nan-b", [float("nan"), 0, 0], [1, 1, 1, 1], [0, 0, 0], 1)
    add("inf-c", [0, float("inf"), 0], [1, 1, 1, 1], [0, 0, 0], 1)
    add("nan-offset", [0, 0, 0], [1, 1, 1, 1], [float("nan"), float("inf"), float("-inf")], 1)
    return cases


def get_qform_case(name, quat, pixdim, qoffset, version):
    rec = {"name": name if version == 1 else f"{name}-v2", "version": version,
           "quatern": jsonable(quat), "pixdim": jsonable(pixdim), "qoffset": jsonable(qoffset)}
    h = nib.Nifti1Header() if version == 1 else nib.Nifti2Header()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # float32 overflow on assignment etc.
        h["quatern_b"], h["quatern_c"], h["quatern_d"] = quat
        h["pixdim"][0:4] = pixdim
        h["qoffset_x"], h["qoffset_y"], h["qoffset_z"] = qoffset
        h["qform_code"] = 1
        sa = h.structarr
        rec["storedQuatern"] = jsonable([sa["quatern_b"], sa["quatern_c"], sa["quatern_d"]])
        rec["storedPixdim"] = jsonable(sa["pixdim"][0:4])
        rec["storedQoffset"] = jsonable([sa["qoffset_x"], sa["qoffset_y"], sa["qoffset_z"]])
        rec["fillpositive"] = attempt(lambda: [float(v) for v in h.get_qform_quaternion()])
        rec["qform"] = attempt(h.get_qform)
        rec["qformF64"] = attempt(lambda: qform_f64(sa, version))
    return rec


# ---------------------------------------------------------------------------------------------


def main(argv):
    if len(argv) != 2:
        print(f"usage: /usr/bin/python3 {argv[0]} OUTPUT.json", file=sys.stderr)
        return 2
    out_path = argv[1]
    rng = np.random.default_rng(SEED)
    # nibabel and numpy warn on the degenerate cases (division by zero zooms, float32
    # overflow); what they return or raise is recorded, so keep stderr readable.
    warnings.simplefilter("ignore", RuntimeWarning)

    doc = {
        "generator": {"nibabel": nib.__version__, "numpy": np.__version__},
        "files": real_files(),
        "setQform": set_qform_cases(rng),
        "getQform": [get_qform_case(*c) for c in get_qform_inputs(rng)],
    }
    text = json.dumps(doc, indent=1, allow_nan=False, ensure_ascii=True) + "\n"

    out_dir = os.path.dirname(os.path.abspath(out_path))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".nibabel-fixture-", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    print(
        f"wrote {out_path}: {len(text)} bytes, {len(doc['files'])} files, "
        f"{len(doc['setQform'])} setQform, {len(doc['getQform'])} getQform",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
