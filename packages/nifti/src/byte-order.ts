/** Reverses the byte order of every `size`-byte element of `bytes`, in place. */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Buffer's swap16/32/64 are native loops; they need whole elements.
  if (size === 2) buffer.swap16();
  else if (size === 4) buffer.swap32();
  else if (size === 8) buffer.swap64();
  else throw new RangeError(`cannot swap ${size}-byte elements`);
}
