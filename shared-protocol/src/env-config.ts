/**
 * Building blocks for reading `PARLEY_*` environment variables with valibot, shared by the
 * gateway and worker configuration modules so every variable is checked the same way and a bad
 * value fails with a message naming the variable: `PARLEY_PORT="80a": must be a whole number`.
 */
import * as v from 'valibot';

/** A whole number in [min, max], given as a string. */
export const envInt = (min: number, max: number) =>
  v.pipe(v.string(), v.trim(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min, `must be ≥ ${min}`), v.maxValue(max, `must be ≤ ${max}`));

/** A non-negative decimal number in [min, max], given as a string. */
export const envNumber = (min: number, max: number) =>
  v.pipe(v.string(), v.trim(), v.regex(/^\d*\.?\d+$/, 'must be a number'), v.transform(Number), v.minValue(min, `must be ≥ ${min}`), v.maxValue(max, `must be ≤ ${max}`));

/** A comma-separated list; blanks dropped, items trimmed. */
export const envList = v.pipe(
  v.string(),
  v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
);

/**
 * Parses the environment variables `select` picks (empty values count as unset) and returns
 * the schema's output, or throws `makeError('NAME="value": problem')` for the first bad one.
 */
export function parseEnv<S extends v.GenericSchema>(schema: S, env: NodeJS.ProcessEnv, select: (name: string) => boolean, makeError: (message: string) => Error): v.InferOutput<S> {
  const picked = Object.fromEntries(Object.entries(env).filter(([k, val]) => select(k) && val !== undefined && val !== ''));
  const parsed = v.safeParse(schema, picked);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0]!;
  const name = String(issue.path?.[0]?.key ?? 'environment');
  throw makeError(`${name}=${JSON.stringify(picked[name] ?? '')}: ${issue.message}`);
}
