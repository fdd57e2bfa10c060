// A host's FQDN, as Hyper-V really gives it: VMHost.FullyQualifiedDomainName is Win32_ComputerSystem.Domain
// (the domain, `contoso.lab`), so the host's FQDN is Win32_ComputerSystem's DNSHostName in that domain. The
// delegation check and fix build `cifs/<FQDN>` and `Microsoft Virtual System Migration Service/<FQDN>` from it:
// with the domain in its place, a correct AD account reads as broken and the fix writes wrong entries.
import * as assert from 'node:assert/strict';
import { readFleet } from '../../src/hyperv/inventory';
import { delegationEntries, readFleetConfiguration } from '../../src/migration/fleetConfig';
import { createPreflightEngine } from '../../src/migration/preflight';
import { createLab, type Lab } from '../support/labFixture';

describe('host FQDN on the default lab (contoso.lab)', function () {
  let lab: Lab;
  const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

  before(async function () {
    lab = await createLab();
  });

  after(async function () {
    await lab?.dispose();
  });

  it('the lab answers as Hyper-V: FullyQualifiedDomainName is the domain, Win32_ComputerSystem has the host name and the domain', async function () {
    const facts = await lab.run<{ Fqdn: string; DnsHostName: string; Domain: string; PartOfDomain: boolean }>(
      'fqdn',
      `param($Params)
$system = Get-CimInstance -ClassName Win32_ComputerSystem -ComputerName HV02
[pscustomobject]@{ Fqdn = (Get-VMHost -ComputerName HV02).FullyQualifiedDomainName; DnsHostName = $system.DNSHostName; Domain = $system.Domain; PartOfDomain = $system.PartOfDomain }`,
    );
    assert.deepEqual(facts, { Fqdn: 'contoso.lab', DnsHostName: 'HV02', Domain: 'contoso.lab', PartOfDomain: true });
  });

  it("the tree's inventory carries each host's own FQDN (the tooltip shows it)", async function () {
    const readings = await readFleet(lab.pool, [{ name: 'HV01' }, { name: 'HV05' }]);
    assert.deepEqual(
      readings.map((r) => (r.ok ? r.inventory.host.fqdn : r.error.message)),
      ['HV01.contoso.lab', 'HV05.contoso.lab'],
    );
  });

  it("the check reads a complete delegation as complete, and names a missing one by the destination's FQDN", async function () {
    const engine = createPreflightEngine(lab.pool, { credentialFor: () => ADMIN });
    const vmId = await lab.run<string>('id', 'param($Params)\n[string](Get-VM -Name web01 -ComputerName HV01).Id');
    const request = (destination: string) => ({ vmId, vmName: 'web01', source: 'HV01', destination });
    const complete = await engine.check(request('HV02'));
    assert.ok(!complete.findings.some((f) => f.area === 'authentication'), complete.findings.map((f) => f.id).join(', '));
    const missing = await engine.check(request('HV03'));
    const delegation = missing.findings.find((f) => f.id === 'authentication.delegation');
    assert.ok(delegation, missing.findings.map((f) => f.id).join(', '));
    const addDelegation = delegation.fixes[0];
    const entries = (addDelegation?.id === 'add-delegation' ? addDelegation.args.entries : undefined) as string[];
    assert.ok(
      entries.includes('cifs/HV03.contoso.lab') && entries.includes('Microsoft Virtual System Migration Service/HV03.contoso.lab'),
      entries.join('; '),
    );
    assert.ok(!entries.some((e) => /\/contoso\.lab$/i.test(e)), `no entry names the domain: ${entries.join('; ')}`);
  });

  it('the Configure matrix reads the same: HV01 -> HV02 ready, and its entries for a destination use the host FQDN', async function () {
    const config = await readFleetConfiguration(lab.pool, ['HV01', 'HV02', 'HV03']);
    assert.equal(config.pairs.find((p) => p.source === 'HV01' && p.destination === 'HV02')?.status, 'ready');
    const hv03 = config.hosts.find((h) => h.host === 'HV03');
    const hv01 = config.hosts.find((h) => h.host === 'HV01');
    assert.ok(hv03?.ok && hv01?.ok && hv01.config.account && hv03.config.account);
    assert.equal(hv03.config.fqdn, 'HV03.contoso.lab');
    const entries = delegationEntries(hv03.config.account);
    assert.ok(entries.includes('cifs/HV03.contoso.lab'), entries.join('; '));
    assert.ok(!entries.some((e) => /\/contoso\.lab$/i.test(e)), entries.join('; '));
  });
});
