// Near-valid arbitraries shared by the property files: every field either plausible or junk, so each branch of
// a normalizer is reached.
import fc from 'fast-check';

export interface NearValidOptions {
  /** How many plausible values come for each junk one. */
  plausibleWeight: number;
  /** Adds doubles (NaN, -0, Infinity, fractions) to the junk, for fields read as numbers. */
  doubles?: boolean;
}

export function nearValid({plausibleWeight, doubles = false}: NearValidOptions) {
  // The order of the choices is part of what a published seed reproduces: keep it.
  const junk = fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.string({maxLength: 4}),
    fc.integer(),
    ...(doubles ? [fc.double()] : []),
    fc.boolean(),
    fc.array(fc.jsonValue({maxDepth: 1}), {maxLength: 2}),
  );
  /** The arbitrary's value, or now and then junk in its place. */
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({weight: plausibleWeight, arbitrary: arb}, {weight: 1, arbitrary: junk});
  /** An object of these fields, complete or with any of them missing, or junk in its place. */
  const part = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
    maybe(fc.oneof({weight: 4, arbitrary: fc.record(fields)}, fc.record(fields, {requiredKeys: []})));
  return {junk, maybe, part};
}
