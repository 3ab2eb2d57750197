// ImageFilter: select images by name components, as the original does, plus the extended
// conditions of the filter grammar.
import { FilterSyntaxError, NameError } from "./errors.js";
import {
  type FilterDialect,
  type FilterEntry,
  formatFilterEntries,
  invalidKeyMessage,
  parseFilterString,
} from "./filter-string.js";
import {
  checkFilterValue,
  FILTER_KEYS,
  FilterCondition,
  type FilterKey,
  type FilterValue,
  type ImageValue,
  valueMatcher,
} from "./filter-values.js";
import { componentEquals, ImageFile } from "./image-file.js";
import { SLOTS } from "./name-offsets.js";
import { pythonStr } from "./python-repr.js";

/** The name components a filter reads; an `ImageFile` has them all. */
export type FilterableImage = Pick<ImageFile, FilterKey>;

/** Filter values by key; keys are applied in the order given. */
export type FilterSpec = { readonly [K in FilterKey]?: FilterValue };

/** The result of `ImageFilter.partition`. */
export interface FilterPartition<T> {
  matched: T[];
  unmatched: T[];
  /** Images whose names lack a component the filter reads. */
  invalid: { image: T; error: NameError }[];
}

/**
 * A set of conditions on name components (`bodypart`, `modality`, `technique`, `acqdim`,
 * `orientation`, `excontrast`, `extras`, `tags`). An image matches when every condition holds.
 *
 * Values: a string (equal), a list (the same items in the same order, so `extras: []` means
 * "no extras"), a `FilterCondition` (`anyOf`, `not`, `contains`, `lacks`), or a predicate
 * (its result counts by Python truthiness). Values are used as given: `fromString` upper-cases,
 * the constructor does not.
 */
export class ImageFilter {
  readonly #entries: ReadonlyMap<FilterKey, FilterValue>;
  // One test per entry, specialised to its key and value: `matches` runs for every image of a
  // tree and every filter, so it reads each component through a fixed property access.
  readonly #tests: ((image: FilterableImage) => boolean)[];

  constructor(spec: FilterSpec | Iterable<readonly [string, FilterValue]> = {}) {
    const given: [string, FilterValue][] = [];
    const source = isIterable(spec) ? spec : Object.entries(spec);
    for (const [key, value] of source) {
      if (value !== undefined) given.push([key, value]);
    }
    const entries = new Map<FilterKey, FilterValue>();
    const keys = [...new Set(given.map(([key]) => key))];
    for (const [key, value] of given) {
      if (!(FILTER_KEYS as readonly string[]).includes(key)) {
        throw new FilterSyntaxError("E_FILTER_KEY", invalidKeyMessage(key, keys), {
          token: key,
          pythonError: { type: "ValueError", message: invalidKeyMessage(key, keys) },
        });
      }
      entries.set(key as FilterKey, canonical(checkFilterValue(key, value)));
    }
    this.#entries = entries;
    this.#tests = [...entries].map(([key, value]) => {
      const read = READ[key];
      const match = valueMatcher(value);
      if (typeof value === "string" && key !== "extras" && key !== "tags") {
        // ImageFiles compare the component in place, without cutting it out of the name.
        const slot = SLOTS[key];
        return (image: FilterableImage) =>
          image instanceof ImageFile ? image[componentEquals](slot, value) : match(read(image));
      }
      return (image: FilterableImage) => match(read(image));
    });
  }

  /**
   * Parse a filter string. The default `extended` dialect accepts everything the original does
   * (see the package README for its three documented differences) plus `!=`, `~`, `!~`, `|`,
   * quoting, whitespace, `,` between pairs and `body_part`; `radifox` is the original exactly.
   * Throws `FilterSyntaxError` with the offending token.
   */
  static fromString(text: string, options: { dialect?: FilterDialect } = {}): ImageFilter {
    return new ImageFilter(parseFilterString(text, options.dialect));
  }

  /** The value set for `key`, or `undefined`. Unknown keys throw `FilterSyntaxError`. */
  get(key: FilterKey): FilterValue | undefined {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new FilterSyntaxError("E_FILTER_KEY", invalidKeyMessage(key), {
        token: String(key),
        pythonError: { type: "AttributeError", message: invalidKeyMessage(key) },
      });
    }
    return this.#entries.get(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  entries(): IterableIterator<[FilterKey, FilterValue]> {
    return this.#entries.entries();
  }

  [Symbol.iterator](): IterableIterator<[FilterKey, FilterValue]> {
    return this.#entries.entries();
  }

  /**
   * Whether `image` satisfies every condition. Like the original, every key is read even after
   * one fails, so a name lacking a filtered component throws `NameError` (`E_NAME_MISSING`).
   */
  matches(image: FilterableImage): boolean {
    let all = true;
    const tests = this.#tests;
    for (let i = 0; i < tests.length; i++)
      if (!(tests[i] as (image: FilterableImage) => boolean)(image)) all = false;
    return all;
  }

  /** The original's name for `matches`. */
  check(image: FilterableImage): boolean {
    return this.matches(image);
  }

  /** The matching images, in input order. Throws at the first image whose name lacks a key. */
  filter<T extends FilterableImage>(images: Iterable<T>): T[] {
    const found: T[] = [];
    for (const image of images) if (this.matches(image)) found.push(image);
    return found;
  }

  *iterfilter<T extends FilterableImage>(images: Iterable<T>): Generator<T> {
    for (const image of images) if (this.matches(image)) yield image;
  }

  /** Like `filter`, but names lacking a filtered component are collected instead of thrown. */
  partition<T extends FilterableImage>(images: Iterable<T>): FilterPartition<T> {
    const result: FilterPartition<T> = { matched: [], unmatched: [], invalid: [] };
    for (const image of images) {
      try {
        (this.matches(image) ? result.matched : result.unmatched).push(image);
      } catch (error) {
        if (!(error instanceof NameError)) throw error;
        result.invalid.push({ image, error });
      }
    }
    return result;
  }

  /** The filter in the extended grammar; `ImageFilter.fromString` reads it back. */
  toString(): string {
    return formatFilterEntries(this.#entries as ReadonlyMap<string, FilterValue>);
  }

  /**
   * Python's `str(filter)`, as the original writes it into provenance records:
   * `bodypart=BRAIN;extras=['ECHO1', 'MAG']`.
   */
  toPythonString(): string {
    // Extended conditions have no Python form; they are written as in `toString`.
    return [...this.#entries]
      .map(([key, value]) =>
        value instanceof FilterCondition
          ? formatFilterEntries([[key, value]])
          : `${key}=${pythonStr(value)}`,
      )
      .join(";");
  }

  toJSON(): string {
    return this.toString();
  }

  /** Same keys in the same order with equal values (predicates compared by identity). */
  equals(other: ImageFilter): boolean {
    const mine = [...this.#entries] as FilterEntry[];
    const theirs = [...other.#entries] as FilterEntry[];
    return (
      mine.length === theirs.length &&
      mine.every(([key, value], i) => key === theirs[i]?.[0] && sameValue(value, theirs[i]?.[1]))
    );
  }
}

const READ: { [K in FilterKey]: (image: FilterableImage) => ImageValue } = {
  bodypart: (image) => image.bodypart,
  modality: (image) => image.modality,
  technique: (image) => image.technique,
  acqdim: (image) => image.acqdim,
  orientation: (image) => image.orientation,
  excontrast: (image) => image.excontrast,
  extras: (image) => image.extras,
  tags: (image) => image.tags,
};

function isIterable(value: unknown): value is Iterable<readonly [string, FilterValue]> {
  return typeof (value as Iterable<unknown>)[Symbol.iterator] === "function";
}

// `anyOf(v)` with a single value is stored as the plain value `v`: both are written `key=v`.
function canonical(value: FilterValue): FilterValue {
  return value instanceof FilterCondition && value.op === "anyOf" && value.values.length === 1
    ? (value.values[0] as FilterValue)
    : value;
}

function sameValue(a: FilterValue, b: FilterValue | undefined): boolean {
  if (a instanceof FilterCondition && b instanceof FilterCondition) {
    return a.op === b.op && JSON.stringify(a.values) === JSON.stringify(b.values);
  }
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
