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
