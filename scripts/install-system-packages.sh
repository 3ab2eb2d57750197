#!/usr/bin/env bash
# Installs the Debian packages the tests use for real data and real tools. Needs root (CI runs
# as root); on a developer machine without root it prints what to install and exits 0: the
# tests that need a package then skip with a reason (and fail when CI=true).
set -euo pipefail

PACKAGES=(
  python3-nibabel   # NIfTI test files and the reference reader
  python3-pydicom   # DICOM test files
  dcm2niix          # DICOM -> NIfTI conversion
  mricron-data      # MNI-space templates and atlases (real NIfTI volumes)
  nifti-bin         # nifti_tool: an independent check of the NIfTI files we write
  python3-scipy     # the QA montage's numpy/scipy reference (percentile, map_coordinates)
  python3-yaml      # reads our provenance records as radifox-qa does (yaml.safe_load)
  python3-bids-validator  # an independent check of the BIDS datasets xnat2bids writes
)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present (${PACKAGES[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${missing[*]}"
  echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "system packages: installed ${missing[*]}"
