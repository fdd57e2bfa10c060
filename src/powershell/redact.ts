// What the log may show of a call's parameters: everything but secrets.

const SENSITIVE_KEY = /password|passwd|secret|credential|token/i;
export const REDACTED = '«redacted»';

/** A copy of `value` in which every property whose name looks secret is replaced by a marker. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SENSITIVE_KEY.test(key) ? REDACTED : redact(item)]));
  }
  return value;
}

/** The parameters as the trace log shows them. */
export function describeParams(params: unknown): string {
  return JSON.stringify(redact(params)) ?? 'null';
}
