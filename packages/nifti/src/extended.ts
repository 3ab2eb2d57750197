/**
 * Exact emulation of x87 80-bit `long double` arithmetic (64-bit significand, round to nearest
 * even) for the few operations nibabel's quaternion code performs in `np.longdouble`. Doing
 * them in float64 instead gives affines that differ from nibabel's in the last bit now and then;
 * with this emulation they are identical. Numbers are `m * 2^e` with a BigInt significand; only
 * finite values occur (no infinities, NaN or subnormals in this use).
 */

export interface Extended {
  readonly m: bigint;
  readonly e: number;
}

const ZERO: Extended = { m: 0n, e: 0 };

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** Rounds `m * 2^e` to `bits` significant bits, nearest even; `sticky` marks lost low bits. */
function round(m: bigint, e: number, bits: number, sticky = false): Extended {
  if (m === 0n) return ZERO;
  const negative = m < 0n;
  let magnitude = negative ? -m : m;
  const excess = bitLength(magnitude) - bits;
  if (excess > 0) {
    const shift = BigInt(excess);
    const kept = magnitude >> shift;
    const rest = magnitude - (kept << shift);
    const half = 1n << (shift - 1n);
    let result = kept;
    if (rest > half || (rest === half && (sticky || (kept & 1n) === 1n))) result += 1n;
    magnitude = result;
    e += excess;
  }
  return { m: negative ? -magnitude : magnitude, e };
}

/** The exact value of a float64. */
export function fromNumber(value: number): Extended {
  if (!Number.isFinite(value)) throw new RangeError("extended precision needs finite numbers");
  if (value === 0) return ZERO;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let m = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let e: number;
  if (biased === 0) {
    e = -1074;
  } else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return { m: value < 0 ? -m : m, e };
}

const LONG = 64;

export function add(a: Extended, b: Extended): Extended {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  return round((a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e, LONG);
}

export function sub(a: Extended, b: Extended): Extended {
  return add(a, { m: -b.m, e: b.e });
}

export function mul(a: Extended, b: Extended): Extended {
  return round(a.m * b.m, a.e + b.e, LONG);
}

export function div(a: Extended, b: Extended): Extended {
  if (b.m === 0n) throw new RangeError("division by zero");
  if (a.m === 0n) return ZERO;
  // Enough quotient bits that rounding to 64 sees the true round and sticky bits.
  const shift = LONG + 3 + bitLength(b.m < 0n ? -b.m : b.m) - bitLength(a.m < 0n ? -a.m : a.m);
  const numerator = shift > 0 ? a.m << BigInt(shift) : a.m;
  const quotient = numerator / b.m;
  const remainder = numerator - quotient * b.m;
  return round(quotient, a.e - b.e - Math.max(shift, 0), LONG, remainder !== 0n);
}

export function sqrt(a: Extended): Extended {
  if (a.m < 0n) throw new RangeError("square root of a negative number");
  if (a.m === 0n) return ZERO;
  let m = a.m;
  let e = a.e;
  // Scale so the root has at least 67 bits, with an even exponent.
  let shift = Math.max(0, 2 * (LONG + 3) - bitLength(m));
  if ((e - shift) % 2 !== 0) shift += 1;
  m <<= BigInt(shift);
  e -= shift;
  // Newton's method on integers, from a start above the root, to floor(sqrt(m)).
  let root = BigInt(Math.ceil(Math.sqrt(Number(m)) * (1 + 2 ** -40))) + 1n;
  for (;;) {
    const next = (root + m / root) >> 1n;
    if (next >= root) break;
    root = next;
  }
  while (root * root > m) root -= 1n;
  while ((root + 1n) * (root + 1n) <= m) root += 1n;
  return round(root, e / 2, LONG, root * root !== m);
}

export function less(a: Extended, b: Extended): boolean {
  return sub(a, b).m < 0n;
}

/** Rounds to the nearest float64 (ties to even), as a C cast from long double does. */
export function toNumber(a: Extended): number {
  if (a.m === 0n) return 0;
  const r = round(a.m, a.e, 53);
  // r.m has at most 53 bits: Number(r.m) is exact; scaling by powers of two is exact in range.
  let value = Number(r.m);
  let e = r.e;
  while (e > 0) {
    const step = Math.min(e, 1000);
    value *= 2 ** step;
    e -= step;
  }
  while (e < 0) {
    const step = Math.max(e, -1000);
    value *= 2 ** step;
    e -= step;
  }
  return value;
}
