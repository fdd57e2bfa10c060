// Reading untrusted JSON from PowerShell into typed values: a wrong shape is a protocol error with the path
// that was wrong, never a silent undefined.

export class DecodeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
    actual: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${actual === null ? 'null' : Array.isArray(actual) ? 'array' : typeof actual}`);
  }
}

type Obj = Readonly<Record<string, unknown>>;

export function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError(path, 'object', value);
  return value as Obj;
}

export function string(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, 'string', v);
  return v;
}

export function optionalString(o: Obj, key: string, path: string): string | null {
  const v = o[key];
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, 'string or null', v);
  return v;
}

export function number(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(`${path}.${key}`, 'number', v);
  return v;
}

export function optionalNumber(o: Obj, key: string, path: string): number | null {
  const v = o[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(`${path}.${key}`, 'number or null', v);
  return v;
}

export function boolean(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new DecodeError(`${path}.${key}`, 'boolean', v);
  return v;
}

/** A string that must be one of `allowed` (an enum's names). */
export function oneOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[]): T {
  const value = string(o, key, path);
  if (!(allowed as readonly string[]).includes(value)) throw new DecodeError(`${path}.${key}`, allowed.join('|'), value);
  return value as T;
}

/** PowerShell turns an empty array into null and a one-item array into the item unless wrapped; accept all three. */
export function array<T>(o: Obj, key: string, path: string, item: (value: unknown, path: string) => T): T[] {
  const v = o[key];
  if (v === null || v === undefined) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((x, i) => item(x, `${path}.${key}[${i}]`));
}

/** Reads one field of an object: `string`, `number`, `boolean`, `optionalString`, `optionalNumber`, `list(...)` are ones. */
export type Field<T> = (o: Obj, key: string, path: string) => T;

/** What a spec of fields reads: each key with the type its decoder answers. */
export type Decoded<S> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/**
 * The fields of `o`, each read by its decoder in `spec` under its own key (the key is the JSON's and the
 * result's name), in the spec's order: a shape's names and types written once.
 */
export function fields<S extends Readonly<Record<string, Field<unknown>>>>(o: Obj, path: string, spec: S): Decoded<S> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) out[key] = field(o, key, path);
  return out as Decoded<S>;
}

/** A list field whose items `item` reads (as `array`: null is empty, one item is a list of one). */
export function list<T>(item: (value: unknown, path: string) => T): Field<T[]> {
  return (o, key, path) => array(o, key, path, item);
}

/** A field whose value `item` reads (a nested object): e.g. `nested(decodePlan)`. */
export function nested<T>(item: (value: unknown, path: string) => T): Field<T> {
  return (o, key, path) => item(o[key], `${path}.${key}`);
}

/** A field that is null (or missing), or a value `item` reads (a nested object, e.g. `record(...)`). */
export function nullable<T>(item: (value: unknown, path: string) => T): Field<T | null> {
  return (o, key, path) => (o[key] === null || o[key] === undefined ? null : item(o[key], `${path}.${key}`));
}

/** A string field that must be one of `allowed` (an enum's names): `oneOf` as a field. */
export function choice<T extends string>(allowed: readonly T[]): Field<T> {
  return (o, key, path) => oneOf(o, key, path, allowed);
}

/** Reads a value (a list's item, a nested object) that must be an object with `spec`'s fields. */
export function record<S extends Readonly<Record<string, Field<unknown>>>>(spec: S): (value: unknown, path: string) => Decoded<S> {
  return (value, path) => fields(object(value, path), path, spec);
}

/** An object of names to a string or null (e.g. adapter id → switch name, null: not connected). */
export function stringOrNullMap(value: unknown, path: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, item] of Object.entries(object(value, path))) {
    if (item !== null && typeof item !== 'string') throw new DecodeError(`${path}.${key}`, 'string or null', item);
    out[key] = item;
  }
  return out;
}

export function stringItem(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new DecodeError(path, 'string', value);
  return value;
}

/** A host's volume as the inventory and the destination check read it (Win32_Volume: Name is the mount path, e.g. 'C:\' or 'C:\ClusterStorage\Volume1\'). */
export function volumeItem(value: unknown, path: string): { name: string; freeSpace: number; size: number } {
  const o = object(value, path);
  return { name: string(o, 'name', path), freeSpace: number(o, 'freeSpace', path), size: number(o, 'size', path) };
}

/** A host's virtual switch as the inventory and the destination check read it (Get-VMSwitch). */
export function switchItem(value: unknown, path: string): { name: string; switchType: string } {
  const o = object(value, path);
  return { name: string(o, 'name', path), switchType: string(o, 'switchType', path) };
}
