// Some of XNAT's validation messages list names from Java hash sets ("Known mounts: ..."). Their
// order is the iteration order of a `java.util.HashSet` filled in declaration order: by bucket
// (String.hashCode spread as HashMap does, masked by the table size, which doubles past 75 %
// load from 16), then by insertion within a bucket. Reproducing it makes the messages identical
// to XNAT's, byte for byte.

/** Java's `String.hashCode` (UTF-16 code units, 32-bit overflow). */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The iteration order of a Java `HashSet<String>` (or the keys of a `HashMap`) after adding
 * `items` in order: `new HashSet<>()` by default, `new HashSet<>(initialCapacity)` when given
 * (XNAT sizes its sets of mounts, outputs, handlers and wrapper inputs by their counts, which
 * gives smaller tables and another order).
 */
export function javaHashSetOrder(items: Iterable<string>, initialCapacity?: number): string[] {
  const unique: string[] = [];
  const seen = new Set<string>();
  let capacity = initialCapacity === undefined ? 16 : tableSize(initialCapacity);
  for (const item of items) {
    if (seen.has(item)) continue;
    seen.add(item);
    unique.push(item);
    // HashMap doubles its table when the size passes three quarters of it (truncated).
    if (unique.length > Math.trunc(capacity * 0.75)) capacity *= 2;
  }
  const bucket = (text: string) => {
    const hash = javaStringHash(text);
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  return unique
    .map((item, index) => ({ item, index, bucket: bucket(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.item);
}

/** `HashMap.tableSizeFor`: the next power of two (at least 1). */
function tableSize(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

/** `String.valueOf(list)`: `[a, b]`. */
export function javaList(items: readonly (string | null)[]): string {
  return `[${items.map((item) => item ?? "null").join(", ")}]`;
}

/** How many parts Java's `text.split(":")` gives (trailing empty strings dropped). */
export function javaSplitCount(text: string, separator: string): number {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  // Java gives [""] for an empty string, and [] when everything was separators.
  return text === "" ? 1 : parts.length;
}

/** Java's `Character.isWhitespace` (unlike JavaScript's `\s`: no U+00A0, U+2007, U+202F, U+FEFF). */
const JAVA_WHITESPACE =
  /^[\t\n\v\f\r \u001c-\u001f\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]$/;

/** Whether `char` (one UTF-16 unit) is whitespace to Java. */
export function isJavaWhitespace(char: string): boolean {
  return JAVA_WHITESPACE.test(char);
}

/** `StringUtils.isBlank`: null, empty, or only whitespace (Java's `Character.isWhitespace`). */
export function isBlank(text: string | null | undefined): boolean {
  if (text == null) return true;
  for (const char of text) if (!isJavaWhitespace(char)) return false;
  return true;
}
