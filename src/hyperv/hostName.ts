/** A host name as admins type it: a short NetBIOS/DNS name or an FQDN. Answers the problem, or undefined. */
export function validateHostName(value: string): string | undefined {
  const name = value.trim();
  if (name.length === 0) return 'Enter a host name, e.g. HV01 or hv01.contoso.com.';
  if (name.length > 253) return 'A host name has at most 253 characters.';
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (!name.split('.').every((part) => label.test(part))) {
    return 'Use letters, digits and hyphens, with dots between the parts of an FQDN (no spaces, quotes or other characters).';
  }
  return undefined;
}

// One rule for host names, everywhere a name is compared or keyed. A host is written as a short name (HV01)
// or an FQDN (hv01.contoso.lab), in any case, an FQDN sometimes with DNS's trailing dot (hv01.contoso.lab.).
// Two FQDNs are one host only when they are equal: hv01.contoso.lab and hv01.fabrikam.lab are two hosts of two
// domains, and a short name does not say which domain it means, so keys never fold an FQDN to its short name.

/** A host name's key: without case, surrounding spaces or a trailing dot. Map keys use it. */
export function hostKey(name: string): string {
  return name.trim().replace(/\.+$/, '').toLowerCase();
}

/** The first label of a host name (HV01 of hv01.contoso.lab), as written. */
export function shortHostName(name: string): string {
  const trimmed = name.trim().replace(/\.+$/, '');
  const dot = trimmed.indexOf('.');
  return dot < 0 ? trimmed : trimmed.slice(0, dot);
}

/**
 * Why an AD computer account is not the configured host's, or undefined when its dNSHostName is the host
 * (sameHost). The configured name is the authority; AD confirms it. A name the host gives itself is neither.
 */
export function adNameProblem(configured: string, account: { readonly name: string; readonly dnsHostName: string }): string | undefined {
  if (!account.dnsHostName) return `AD's computer ${account.name} has no dNSHostName, so it cannot be confirmed as ${configured}.`;
  if (sameHost(configured, account.dnsHostName)) return undefined;
  return `AD's computer ${account.name} is ${account.dnsHostName}, not ${configured}: configure the host by the name AD knows it by.`;
}

/**
 * Whether two names are one host: their keys are equal, or one is a short name and the other an FQDN that
 * starts with it (HV01 and hv01.contoso.lab). Two different FQDNs never are, whatever their first labels.
 */
export function sameHost(a: string, b: string): boolean {
  const ka = hostKey(a);
  const kb = hostKey(b);
  if (ka === '' || kb === '') return false;
  if (ka === kb) return true;
  const aShort = !ka.includes('.');
  const bShort = !kb.includes('.');
  if (aShort === bShort) return false;
  return aShort ? kb.startsWith(`${ka}.`) : ka.startsWith(`${kb}.`);
}
