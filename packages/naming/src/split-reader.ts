// Reading single pieces of a separated string without splitting all of it: filters over large
// trees read a few name components of every image, and building every piece costs more than
// finding the one asked for.

/** Where piece `n` of `text.split(separator)` starts, or -1 if there are fewer pieces. */
function pieceStart(text: string, separator: string, n: number): number {
  let start = 0;
  for (let i = 0; i < n; i++) {
    const next = text.indexOf(separator, start);
    if (next < 0) return -1;
    start = next + 1;
  }
  return start;
}

/** `text.split(separator)[n]`. */
export function pieceAt(text: string, separator: string, n: number): string | undefined {
  const start = pieceStart(text, separator, n);
  if (start < 0) return undefined;
  const end = text.indexOf(separator, start);
  return end < 0 ? text.slice(start) : text.slice(start, end);
}

/** `text.split(separator).slice(0, n).join(separator)`. */
export function leadingPieces(text: string, separator: string, n: number): string {
  const start = pieceStart(text, separator, n);
  return start < 0 ? text : text.slice(0, start - 1);
}

/** `text.split(separator).length`. */
export function pieceCount(text: string, separator: string): number {
  let count = 1;
  for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1)) count++;
  return count;
}
