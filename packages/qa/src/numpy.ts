// The two pieces of numpy scalar behaviour the QA image depends on.

/**
 * Round half to even, as Python's `round(x)` and numpy's `around`/`rint` do for float64
 * (`round(2.5) == 2`, `round(3.5) == 4`, `round(-2.5) == -2`).
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // half up (toward +infinity)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * numpy's float64 -> uint8 cast (`astype(np.ubyte)`) on x86-64: the value is truncated toward
 * zero to a 32-bit integer (`cvttsd2si`) and the low byte kept, so 300.7 -> 44 and -1.5 -> 255;
 * NaN, infinities and values whose integer part is outside the int32 range give 0.
 */
export function castToUint8(value: number): number {
  return value > -2147483649 && value < 2147483648 ? Math.trunc(value) & 0xff : 0;
}
