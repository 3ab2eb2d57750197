"""The nibabel side of the nifti benchmark: the same tasks on the same files, one JSON line out.

Run by bench/run.mjs with Debian's /usr/bin/python3 (nibabel 5): argv[1] is a JSON object with
the file lists and output folder. Times are medians in seconds.
"""
import json
import statistics
import sys
import time

import nibabel as nib
import numpy as np

args = json.loads(sys.argv[1])
runs = args["runs"]


def median_time(task):
    task()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def headers():
    for path in args["headerFiles"]:
        nib.load(path).header


def read_float32():
    nib.load(args["volume"]).get_fdata(dtype=np.float32)


def read_own():
    nib.load(args["own"]).get_fdata(dtype=np.float32)


loaded = nib.load(args["volume"])
in_memory = nib.Nifti1Image(np.asanyarray(loaded.dataobj), loaded.affine, loaded.header)


def write():
    nib.save(in_memory, args["out"] + "/nibabel-write.nii.gz")


def hdrfix():
    img = nib.load(args["volume"])
    img.set_qform(img.get_sform(), code=2)
    img.set_sform(img.get_qform(), code=1)
    nib.save(img, args["out"] + "/nibabel-hdrfix.nii.gz")


result = {
    "headers": median_time(headers),
    "readFloat32": median_time(read_float32),
    "readOwn": median_time(read_own),
    "write": median_time(write),
    "hdrfix": median_time(hdrfix),
    "nibabel": nib.__version__,
}
print(json.dumps(result))
