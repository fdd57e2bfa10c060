// Turns the facts of a PowerShell ErrorRecord (as the wrapper reports them) into an error the UI can act on.
// The rules read the texts real Hyper-V, WinRM and Windows write; the lab module raises the same texts.

import type { PowerShellError } from './types';

/** One exception of the record's exception chain. `hresult` is 8 upper-case hex digits. */
export interface ExceptionFacts {
  readonly type: string;
  readonly message: string;
  readonly hresult: string;
}

/** What the wrapper reports about a failed call (see wrapper.ps1, `__HvlmErrorFacts`). */
export interface RawErrorFacts {
  readonly message: string;
  readonly category: string;
  readonly errorId: string;
  readonly exceptionType: string;
  /** The ErrorRecord's TargetObject when it is a string. */
  readonly targetObject: string | null;
  readonly chain: readonly ExceptionFacts[];
}

export function isRawErrorFacts(value: unknown): value is RawErrorFacts {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Record<string, unknown>;
  return (
    typeof facts.message === 'string' &&
    typeof facts.category === 'string' &&
    typeof facts.errorId === 'string' &&
    typeof facts.exceptionType === 'string' &&
    (facts.targetObject === null || typeof facts.targetObject === 'string') &&
    Array.isArray(facts.chain) &&
    facts.chain.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as Record<string, unknown>).type === 'string' &&
        typeof (item as Record<string, unknown>).message === 'string' &&
        typeof (item as Record<string, unknown>).hresult === 'string',
    )
  );
}

/** The modules whose absence the extension reports as `moduleMissing`, by the noun prefix of their cmdlets. */
const MODULE_BY_NOUN: readonly (readonly [RegExp, string])[] = [
  [/^[a-z]+-(vm|vhd)/i, 'Hyper-V'],
  [/^[a-z]+-ad/i, 'ActiveDirectory'],
  [/^[a-z]+-cluster/i, 'FailoverClusters'],
];

const ACCESS_DENIED = [
  /access is denied/i,
  /you do not have the required permission/i,
  /0x80070005/i,
  // WinRM's Kerberos failure for want of a credential (SEC_E_NO_CREDENTIALS), as a hop from a remoting session with none
  // to pass on fails; its text starts as an unreachable host's ("WinRM cannot process the request…") but it is not one.
  /0x8009030e/i,
  /no credentials are available in the security package/i,
  /logon session does not exist/i,
];
const ACCESS_DENIED_HRESULT = '80070005';

const UNREACHABLE = [
  /WinRM (client )?cannot (process|complete) the (request|operation)/i,
  /RPC server is unavailable/i,
  /could not be resolved/i,
  /failed to connect/i,
  /0x800706BA/i,
  /unable to connect to the (remote )?server/i,
  /no such host is known/i,
  // The host dropped the session's shell (restarted, or closed it): "Processing data from remote server HV01 failed with
  // the following error message: The request for the Windows Remote Shell with ShellId … failed because the shell was
  // not found on the server." (PowerShell/PowerShell#11586). hostSession.ps1 forgets that session; the next call opens one.
  /the shell was not found on the server/i,
];
const UNREACHABLE_HRESULT = '800706BA';

const HOST_IN_MESSAGE = [/computer '([^']+)'/i, /remote server (\S+) failed/i, /host '([^']+)'/i];

function commandNotFound(facts: RawErrorFacts): string | undefined {
  const notFound = facts.exceptionType.endsWith('CommandNotFoundException') || facts.errorId.startsWith('CommandNotFoundException');
  if (!notFound) return undefined;
  return facts.targetObject ?? /'([^']+)'/.exec(facts.message)?.[1];
}

function hostIn(facts: RawErrorFacts, texts: readonly string[]): string | undefined {
  for (const text of texts) {
    for (const pattern of HOST_IN_MESSAGE) {
      const match = pattern.exec(text);
      if (match) return match[1];
    }
  }
  const target = facts.targetObject?.trim();
  return target && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(target) ? target : undefined;
}

function failure(kind: PowerShellError['kind'], message: string, facts: RawErrorFacts, target?: string): PowerShellError {
  return {
    kind,
    message,
    ...(facts.category && { category: facts.category }),
    ...(facts.errorId && { errorId: facts.errorId }),
    ...(facts.exceptionType && { exceptionType: facts.exceptionType }),
    ...(target && { target }),
  };
}

export function classifyError(facts: RawErrorFacts): PowerShellError {
  const texts = [facts.message, ...facts.chain.map((exception) => exception.message)];
  const hresults = facts.chain.map((exception) => exception.hresult.toUpperCase());
  const types = [facts.exceptionType, ...facts.chain.map((exception) => exception.type)];

  const command = commandNotFound(facts);
  const module = command && MODULE_BY_NOUN.find(([pattern]) => pattern.test(command))?.[1];
  if (module) {
    const message = `${command} is not available: the ${module} PowerShell module is not installed here. (${facts.message})`;
    return failure('moduleMissing', message, facts);
  }
  if (facts.errorId.startsWith('Modules_ModuleNotFound')) {
    return failure('moduleMissing', facts.message, facts);
  }
  if (
    facts.category === 'PermissionDenied' ||
    types.includes('System.UnauthorizedAccessException') ||
    hresults.includes(ACCESS_DENIED_HRESULT) ||
    texts.some((text) => ACCESS_DENIED.some((pattern) => pattern.test(text)))
  ) {
    return failure('accessDenied', facts.message, facts, hostIn(facts, texts));
  }
  if (hresults.includes(UNREACHABLE_HRESULT) || texts.some((text) => UNREACHABLE.some((pattern) => pattern.test(text)))) {
    return failure('hostUnreachable', facts.message, facts, hostIn(facts, texts));
  }
  return failure('scriptError', facts.message, facts);
}
