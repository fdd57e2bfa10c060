// Protocol messages for the webview's template tests: what the panels push (src/panel/protocol.ts,
// src/panel/fleetProtocol.ts), small but with each kind of row a view draws.
import type { FleetPanelState, ToFleetWebview } from '../../../src/panel/fleetProtocol';
import type { MigrationSection, ToWebview } from '../../../src/panel/protocol';

export const sql01: MigrationSection = {
  vm: {
    id: 'vm-sql01',
    name: 'sql01',
    host: 'HV01',
    state: 'Running',
    status: 'Operating normally',
    memory: '8 GB',
    processors: 4,
    version: '10.0',
    disks: ['sql01.vhdx (120 GB)'],
    adapters: ['Storage → Storage'],
    iso: [],
    clustered: false,
  },
  destination: 'HV02',
  destinations: [
    { host: 'HV01', readiness: 'source', summary: 'source' },
    { host: 'HV02', readiness: 'blocked', summary: '1 blocker' },
    { host: 'HV03', readiness: 'unchecked', summary: 'not checked' },
  ],
  check: {
    status: 'done',
    checkedAt: '2026-12-05T12:00:00Z',
    blockers: 1,
    warnings: 0,
    groups: [
      {
        area: 'network',
        title: 'Network',
        rows: [
          {
            id: 'switch-missing:Storage',
            area: 'network',
            severity: 'blocker',
            title: "HV02 has no switch 'Storage'",
            cause: "The adapter 'Storage' is connected to a switch HV02 does not have.",
            evidence: [{ source: 'Get-VMSwitch', detail: 'HV02: LAN1, LAN2' }],
            fixes: [
              {
                id: 'map-switch',
                title: 'Connect to another switch',
                description: 'The moved VM uses the switch you pick.',
                destructive: false,
                appliesTo: 'plan',
                choices: [{ name: 'switch', label: 'Switch on HV02', options: ['LAN1', 'LAN2'] }],
              },
            ],
          },
        ],
      },
      {
        area: 'processor',
        title: 'Processor',
        rows: [
          { id: 'processor', area: 'processor', severity: 'passed', title: 'Same processor vendor', cause: '', evidence: [], fixes: [] },
        ],
      },
    ],
  },
  plan: [],
  move: null,
  busy: false,
  migrate: { enabled: false, reason: '1 blocker: fix it first' },
};

export const migrationMessage: ToWebview = {
  type: 'state',
  state: {
    intent: 'migrate',
    title: 'Migrate sql01',
    lab: true,
    vms: [sql01.vm],
    fleet: [
      { name: 'HV01', reachable: true, cpu: 'Intel Xeon · 16 cores', memoryFree: '48 GB', diskFree: '2 TB', switches: ['Storage', 'LAN1'] },
      { name: 'HV02', reachable: true, cpu: 'Intel Xeon · 16 cores', memoryFree: '64 GB', diskFree: '3 TB', switches: ['LAN1', 'LAN2'] },
      { name: 'HV03', reachable: false, problem: 'WinRM: access denied' },
    ],
    migrating: [],
    sections: [sql01],
    moves: [],
  },
};

const hosts = ['HV01', 'HV02', 'HV03'];

export const configureMessage: ToFleetWebview = {
  type: 'state',
  state: {
    title: 'Configure Live Migration',
    lab: true,
    active: 'configure',
    configure: {
      hosts,
      busy: null,
      readAt: '2026-12-05T12:00:00Z',
      hostRows: [
        {
          name: 'HV01',
          read: true,
          migrationEnabled: true,
          networks: 'any network',
          networksOk: true,
          authentication: 'Kerberos',
          kerberos: true,
          performance: 'Compression',
          limits: '2 live · 2 storage',
          delegation: 'any protocol · 4 entries',
          anyProtocol: true,
        },
        {
          name: 'HV02',
          read: true,
          migrationEnabled: false,
          networks: 'none',
          networksOk: false,
          authentication: 'CredSSP',
          kerberos: false,
          performance: 'TCP/IP',
          limits: '2 live · 2 storage',
          delegation: 'Kerberos only · 0 entries',
          anyProtocol: false,
        },
        {
          name: 'HV03',
          read: false,
          problem: 'WinRM: access denied',
          migrationEnabled: false,
          networks: '',
          networksOk: false,
          authentication: '',
          kerberos: false,
          performance: '',
          limits: '',
          delegation: '',
          anyProtocol: false,
        },
      ],
      cells: [
        { source: 'HV01', destination: 'HV02', status: 'missing', label: 'live migration off', gaps: ['live migration is off on HV02'] },
        { source: 'HV02', destination: 'HV01', status: 'missing', label: 'delegation', gaps: ['HV02 may not delegate to HV01'] },
        { source: 'HV01', destination: 'HV03', status: 'unknown', label: 'not read', gaps: ['HV03 could not be read'] },
        { source: 'HV03', destination: 'HV01', status: 'unknown', label: 'not read', gaps: ['HV03 could not be read'] },
      ],
      readyPairs: 0,
      pairs: 6,
      allReady: false,
      changes: [
        {
          id: 'enable:HV02',
          host: 'HV02',
          title: 'Enable live migration on HV02',
          why: 'Live migration is off.',
          ad: false,
          script: 'Enable-VMMigration',
        },
        {
          id: 'delegate:HV02',
          host: 'HV02',
          title: "Let HV02's account delegate to HV01",
          why: 'Kerberos needs constrained delegation.',
          ad: true,
          script: 'Set-ADComputer HV02 -Add @{...}',
        },
      ],
      notes: [],
      unplanned: ['HV01 → HV03'],
      refreshHosts: [],
    },
    drain: null,
    ha: null,
    maintenance: null,
  },
};

const candidate = (host: string, score: number, ready = true) => ({
  host,
  ready,
  score,
  lines: ready ? [{ text: 'most memory free', points: score }] : [],
  blockers: ready ? [] : [`${host} has no switch 'Storage'`],
  choices: [],
  estimate: '≈ 1:21',
});

export const drainState: FleetPanelState = {
  title: 'Drain HV01',
  lab: true,
  active: 'drain',
  configure: null,
  drain: {
    kind: 'drain',
    subject: 'HV01',
    phase: 'planned',
    placements: [
      {
        vmId: 'vm-web01',
        vmName: 'web01',
        source: 'HV01',
        state: 'Running',
        size: '4 GB memory · 40 GB disks',
        destination: 'HV02',
        overridden: false,
        candidates: [candidate('HV02', 80), candidate('HV03', 60)],
      },
    ],
    unmovable: [
      { vmId: 'vm-sql01', vmName: 'sql01', source: 'HV01', why: 'No host has its switch.', candidates: [candidate('HV02', 0, false)] },
    ],
    limits: ['HV01: 2 live, 2 storage at once'],
    rows: [],
  },
  ha: null,
  maintenance: null,
};

export const haState: FleetPanelState = {
  title: 'HA Workflow',
  lab: true,
  active: 'ha',
  configure: null,
  drain: null,
  ha: {
    vmId: 'vm-erp01',
    vmName: 'erp01',
    source: 'HV01',
    destination: 'HV05',
    sourceCluster: 'CL1',
    destinationCluster: null,
    role: 'erp01',
    phase: 'running',
    steps: [
      { id: 'remove-role', title: 'Remove the cluster role', status: 'succeeded', script: 'Remove-ClusterGroup' },
      { id: 'move', title: 'Move erp01 to HV05', status: 'running', script: 'Move-VM' },
      { id: 'add-role', title: 'Make it highly available again', status: 'pending', script: 'Add-ClusterVirtualMachineRole' },
    ],
    move: { percent: 40, phase: 'moving', bytes: '16 GB of 40 GB', eta: '0:30' },
    findings: [{ severity: 'warning', text: 'Warning: HV05 is not a cluster node' }],
  },
  maintenance: null,
};
