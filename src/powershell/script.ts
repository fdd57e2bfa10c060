// Scripts are fixed text shipped with the extension; their parameters never become part of the text.

import type { Script } from './types';

/**
 * A script is fixed PowerShell text whose body starts with `param($Params)` (or `param($Params, $Credential)`
 * when it takes a credential). Whatever it outputs comes back as JSON and goes through `parse`:
 * no output gives `null`, one object gives that object, several give an array. A script whose last
 * statement is `@(...)` (or `return @(...)`) always answers an array, even of one item. A script that
 * reports an error as data (one part of a read, one host of a batch) uses the session's
 * `__HvlmErrorFacts $record`, whose facts `classifyError` reads as those of a failed call.
 *
 * `helpers` are texts of PowerShell functions several scripts share (e.g. what a move carries, counted the
 * same way by placement and by the move): they go into the script right after its `param(...)` line, so
 * the script stays one text, and what runs is what a preview shows.
 */
export function defineScript<P, T>(
  name: string,
  text: string,
  parse?: (data: unknown) => T,
  helpers: readonly string[] = [],
): Script<P, T> {
  if (!name.trim()) {
    throw new Error('A script needs a name: it is what the log shows.');
  }
  return Object.freeze({ name, text: withHelpers(name, text, helpers), parse: parse ?? ((data: unknown) => data as T) });
}

function withHelpers(name: string, text: string, helpers: readonly string[]): string {
  if (helpers.length === 0) return text;
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  if (!/^param\(.*\)\s*$/.test(first)) {
    throw new Error(`${name}: a script with helpers starts with its param(...) line, where the helpers go after it.`);
  }
  return [first, ...helpers.map((helper) => helper.trimEnd()), end < 0 ? '' : text.slice(end + 1)].join('\n');
}
