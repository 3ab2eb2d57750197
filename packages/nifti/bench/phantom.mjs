// A deterministic head-like phantom: an ellipsoid "brain" of smooth tissue contrast with noise,
// a darker shell, and a near-zero noisy background, like a 1 mm T1 volume.
export const SHAPE = [256, 256, 176];

export function phantom(noise) {
  const [nx, ny, nz] = SHAPE;
  const data = new Int16Array(nx * ny * nz);
  let seed = 42;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const r = ((x - 128) / 100) ** 2 + ((y - 128) / 118) ** 2 + ((z - 88) / 80) ** 2;
        let value;
        if (r < 0.85) value = 700 + 250 * Math.sin(x / 7) * Math.cos(y / 9) + 80 * Math.sin(z / 5);
        else if (r < 1) value = 300;
        else value = 2;
        value += (random() - 0.5) * noise * (r < 1 ? 1 : 0.1);
        data[i] = Math.max(0, Math.round(value));
      }
    }
  }
  return data;
}

/** The affine of a 1 mm sagittal-ish scan, slightly oblique (so the qform math is exercised). */
export const AFFINE = [
  [-0.9998, 0.0175, 0.0, 127.5],
  [-0.0175, -0.9998, 0.0, 140.2],
  [0.0, 0.0, 1.0, -80.0],
  [0, 0, 0, 1],
];
