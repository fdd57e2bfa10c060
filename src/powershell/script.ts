// Scripts are fixed text shipped with the extension; their parameters never become part of the text.

import type { Script } from './types';

/**
 * A script is fixed PowerShell text whose body starts with `param($Params)` (or `param($Params, $Credential)`
 * when it takes a credential). Whatever it outputs comes back as JSON and goes through `parse`:
 * no output gives `null`, one object gives that object, several give an array. A script whose last
 * statement is `@(...)` (or `return @(...)`) always answers an array, even of one item. A script that
 * reports an error as data (one part of a read, one host of a batch) uses the session's
 * `__HvlmErrorFacts $record`, whose facts `classifyError` reads as those of a failed call.
 */
export function defineScript<P, T>(name: string, text: string, parse?: (data: unknown) => T): Script<P, T> {
  if (!name.trim()) {
    throw new Error('A script needs a name: it is what the log shows.');
  }
  return Object.freeze({ name, text, parse: parse ?? ((data: unknown) => data as T) });
}
