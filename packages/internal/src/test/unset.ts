/**
 * `T` with every property present and `undefined`. It is assignable to `T` only when every
 * property of `T` is optional and accepts `undefined`, as options read from the environment need
 * under `exactOptionalPropertyTypes`.
 *
 * @example
 * ```ts
 * expectTypeOf<Unset<RetryOptions>>().toExtend<RetryOptions>();
 * ```
 */
export type Unset<T> = { [Key in keyof T]-?: undefined };
