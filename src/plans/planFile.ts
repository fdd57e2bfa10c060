// A migration plan file (`*.migration.json`, JSON with comments): the moves of a maintenance window, the
// fixes the admin approved, the order and how many moves run at once. Parsing never throws: whatever is
// wrong with the text becomes a problem with the place it was found, and the moves that are whole are kept.
import * as l10n from '@vscode/l10n';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { sameHost } from '../hyperv/hostName';
import { keepsVhdFileName, vhdFileName, withSourceFileName } from '../migration/vhdFileName';

/** A place in the text: what diagnostics, code lenses and edits point at. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface PlanProblem {
  readonly span: Span;
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** What kind of problem, e.g. `plan.unknown-vm`; a finding of a check carries its finding id instead. */
  readonly code: string;
  /** The move it belongs to (its position in `moves`), when it belongs to one. */
  readonly move?: number;
}

/**
 * What the finding of an approved fix names on the VM, from its id's part after the colon: a network adapter
 * by the name the admin sees (`Storage NIC`; `Network Adapter #2` for the second of several of that name),
 * or by Hyper-V's Id as plans wrote it before (`Microsoft:<VM id>\<adapter id>`); a drive by its controller
 * (`SCSI 0:1`: type, number:location, as Get-VMHardDiskDrive and Get-VMDvdDrive show it).
 */
export type FixSubject =
  | { readonly kind: 'adapter'; readonly name: string }
  | { readonly kind: 'adapter-id'; readonly id: string }
  | { readonly kind: 'drive'; readonly controller: string };

/** A fix the admin approved for a finding of this move: Run Plan applies it (plan fixes go into the move). */
export interface ApprovedFix {
  /** The finding's id as the plan writes it. */
  readonly finding: string;
  readonly fix: string;
  readonly choices: Readonly<Record<string, string>>;
  readonly span: Span;
  /** The adapter or drive the finding names, for the findings that name one. */
  readonly subject?: FixSubject;
}

/** Findings that name a network adapter after the colon. */
export const ADAPTER_FINDINGS: readonly string[] = ['network.switch-missing'];
/** Findings that name a disk or DVD drive by its controller after the colon. */
export const DRIVE_FINDINGS: readonly string[] = [
  'devices.iso',
  'devices.pass-through',
  'storage.vhd-unreachable',
  'storage.vhd-unreadable',
];

/** Hyper-V's Id of a VM's network adapter: `Microsoft:<VM id>\<adapter id>`. */
const ADAPTER_ID = /^Microsoft:[^\\]+\\.+$/i;
const CONTROLLER = /^\s*([A-Za-z]+)\s*(\d+)\s*:\s*(\d+)\s*$/;

/** A finding id's kind (before the first colon) and what it names (after it). */
export function splitFindingId(id: string): { readonly kind: string; readonly key: string } {
  const colon = id.indexOf(':');
  return colon < 0 ? { kind: id, key: '' } : { kind: id.slice(0, colon), key: id.slice(colon + 1) };
}

/** A drive's controller as Hyper-V spells it (`SCSI 0:1`), or undefined when the text names none. */
export function controllerOf(text: string): string | undefined {
  const match = CONTROLLER.exec(text);
  return match ? `${(match[1] ?? '').toUpperCase()} ${Number(match[2])}:${Number(match[3])}` : undefined;
}

/** What an approved finding id names; a drive not named by its controller is undefined. */
export function subjectOf(findingId: string): FixSubject | 'bad-drive' | undefined {
  const { kind, key } = splitFindingId(findingId);
  if (ADAPTER_FINDINGS.includes(kind) && key.trim() !== '')
    return ADAPTER_ID.test(key) ? { kind: 'adapter-id', id: key } : { kind: 'adapter', name: key.trim() };
  if (!DRIVE_FINDINGS.includes(kind)) return undefined;
  const controller = controllerOf(key);
  return controller ? { kind: 'drive', controller } : 'bad-drive';
}

export interface VhdDestination {
  readonly source: string;
  readonly destination: string;
}

export interface PlanMove {
  /** Position in `moves`. */
  readonly index: number;
  /** The whole move object. */
  readonly span: Span;
  /** The line a move's diagnostics go on: its `vm` property. */
  readonly anchor: Span;
  readonly vm: string;
  readonly source?: string;
  readonly destination: string;
  /** Where the VM's files go on the destination (its configuration, with `vhds`). */
  readonly storagePath?: string;
  /** Each virtual disk to its own file on the destination. */
  readonly vhds?: readonly VhdDestination[];
  /** The HA workflow (role removed, moved, role added) for a clustered VM. */
  readonly ha: boolean;
  readonly note?: string;
  readonly fixes: readonly ApprovedFix[];
  /** Where each property's value is, for diagnostics on a single value (e.g. an unknown destination). */
  readonly values: Readonly<Partial<Record<MoveProperty, Span>>>;
}

export type MoveProperty = 'vm' | 'source' | 'destination' | 'storagePath' | 'vhds' | 'ha' | 'note' | 'fixes';

export type PlanOrder = 'longest-first' | 'as-written';

/** A host of `"maintenance"`: Run Plan maintains these one by one (drained, patched, VMs returned). */
export interface PlanMaintenanceHost {
  readonly host: string;
  readonly span: Span;
}

export interface PlanFile {
  readonly name?: string;
  readonly order: PlanOrder;
  /** At most this many moves at once over the whole fleet (each host's own limits apply too). */
  readonly concurrency?: number;
  /** The moves that are whole; a move with a problem of shape is left out (its problem says why). */
  readonly moves: readonly PlanMove[];
  /** The hosts to maintain one by one after the moves, in the order written (each once). */
  readonly maintenance: readonly PlanMaintenanceHost[];
  /** The `moves` property's key, where the plan's own code lens goes; the document start when absent. */
  readonly movesKey: Span;
  readonly problems: readonly PlanProblem[];
}

export const PLAN_ORDERS: readonly PlanOrder[] = ['longest-first', 'as-written'];
const TOP_LEVEL = ['$schema', 'name', 'order', 'concurrency', 'moves', 'maintenance'];
const MOVE_PROPERTIES: readonly MoveProperty[] = ['vm', 'source', 'destination', 'storagePath', 'vhds', 'ha', 'note', 'fixes'];

const spanOf = (node: Node): Span => ({ offset: node.offset, length: node.length });

function propertiesOf(node: Node): Map<string, { key: Node; value: Node | undefined }> {
  const out = new Map<string, { key: Node; value: Node | undefined }>();
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key?.type === 'string' && typeof key.value === 'string') out.set(key.value, { key, value });
  }
  return out;
}

class Reader {
  readonly problems: PlanProblem[] = [];

  problem(node: Node | Span, message: string, code: string, move?: number, severity: ProblemSeverity = 'error'): void {
    this.problems.push({ span: 'type' in node ? spanOf(node) : node, severity, message, code, ...(move !== undefined && { move }) });
  }

  /**
   * A non-empty string, or a problem. `what` is the property's JSON name (`"vm"`), which the messages quote as
   * it is, or the two whole messages for a value that needs words around its name.
   */
  text(node: Node | undefined, what: string | TextProblems, move: number | undefined): string | undefined {
    if (!node) return undefined;
    const said =
      typeof what === 'string' ? { notString: l10n.t('{0} must be a string.', what), empty: l10n.t('{0} is empty.', what) } : what;
    if (node.type !== 'string' || typeof node.value !== 'string') {
      this.problem(node, said.notString, 'plan.type', move);
      return undefined;
    }
    if (node.value.trim() === '') {
      this.problem(node, said.empty, 'plan.empty', move);
      return undefined;
    }
    return node.value;
  }

  unknownProperties(properties: Map<string, { key: Node }>, known: readonly string[], where: PlanPart, move?: number): void {
    for (const [name, { key }] of properties) {
      if (!known.includes(name)) this.problem(key, unknownProperty(name, where, known.join(', ')), 'plan.unknown-property', move);
    }
  }

  /**
   * The objects of a list (a move's fixes, its disks), each with its properties, unknown ones reported as in
   * `where`; undefined with a problem (`said.list`) when `node` is no list. An item that is no object is
   * reported (`said.item`) and left out. Items are read as the caller walks them, so problems stay in order.
   */
  objects(
    node: Node,
    said: { readonly list: string; readonly item: string },
    known: readonly string[],
    where: PlanPart,
    move: number,
  ): Iterable<{ item: Node; properties: Map<string, { key: Node; value: Node | undefined }> }> | undefined {
    if (node.type !== 'array') {
      this.problem(node, said.list, 'plan.type', move);
      return undefined;
    }
    return this.eachObject(node.children ?? [], said.item, known, where, move);
  }

  private *eachObject(items: readonly Node[], notObject: string, known: readonly string[], where: PlanPart, move: number) {
    for (const item of items) {
      if (item.type !== 'object') {
        this.problem(item, notObject, 'plan.type', move);
        continue;
      }
      const properties = propertiesOf(item);
      this.unknownProperties(properties, known, where, move);
      yield { item, properties };
    }
  }
}

function readFixes(reader: Reader, node: Node | undefined, move: number): ApprovedFix[] {
  if (!node) return [];
  const items = reader.objects(
    node,
    {
      list: l10n.t('"fixes" must be a list of { "finding", "fix", "choices" }.'),
      item: l10n.t('A fix must be an object: { "finding": "<finding id>", "fix": "<fix id>" }.'),
    },
    ['finding', 'fix', 'choices'],
    'fix',
    move,
  );
  if (!items) return [];
  const fixes: ApprovedFix[] = [];
  for (const { item, properties } of items) {
    const finding = reader.text(properties.get('finding')?.value, '"finding"', move);
    const fix = reader.text(properties.get('fix')?.value, '"fix"', move);
    if (!properties.has('finding') || !properties.has('fix')) {
      reader.problem(item, l10n.t('A fix needs "finding" (the finding id) and "fix" (the fix id).'), 'plan.missing', move);
      continue;
    }
    const choices: Record<string, string> = {};
    const choicesNode = properties.get('choices')?.value;
    if (choicesNode && choicesNode.type !== 'object')
      reader.problem(choicesNode, '"choices" must be an object of strings, e.g. { "switch": "LAN1" }.', 'plan.type', move);
    for (const [name, { value }] of choicesNode?.type === 'object' ? propertiesOf(choicesNode) : []) {
      const chosen = reader.text(
        value,
        { notString: l10n.t('Choice "{0}" must be a string.', name), empty: l10n.t('Choice "{0}" is empty.', name) },
        move,
      );
      if (chosen !== undefined) choices[name] = chosen;
    }
    if (!finding || !fix) continue;
    const subject = subjectOf(finding);
    if (subject === 'bad-drive') {
      reader.problem(
        properties.get('finding')?.value ?? item,
        l10n.t(
          'Name the drive by its controller, as Get-VMHardDiskDrive and Get-VMDvdDrive show it: e.g. "{0}:SCSI 0:1" (type, number:location).',
          splitFindingId(finding).kind,
        ),
        'plan.drive',
        move,
      );
      continue;
    }
    fixes.push({ finding, fix, choices, span: spanOf(item), ...(subject && { subject }) });
  }
  return fixes;
}

function readVhds(reader: Reader, node: Node | undefined, move: number): VhdDestination[] | undefined {
  if (!node) return undefined;
  const items = reader.objects(
    node,
    {
      list: l10n.t('"vhds" must be a list of { "source": "<VHD path on the source>", "destination": "<path on the destination>" }.'),
      item: l10n.t('A disk must be { "source": "<VHD path>", "destination": "<path>" }.'),
    },
    ['source', 'destination'],
    'disk',
    move,
  );
  if (!items) return undefined;
  const vhds: VhdDestination[] = [];
  for (const { item, properties } of items) {
    const source = reader.text(
      properties.get('source')?.value,
      { notString: l10n.t('The disk\'s "source" must be a string.'), empty: l10n.t('The disk\'s "source" is empty.') },
      move,
    );
    const destination = reader.text(
      properties.get('destination')?.value,
      { notString: l10n.t('The disk\'s "destination" must be a string.'), empty: l10n.t('The disk\'s "destination" is empty.') },
      move,
    );
    if (!properties.has('source') || !properties.has('destination'))
      reader.problem(item, l10n.t('A disk needs "source" and "destination".'), 'plan.missing', move);
    else if (source && destination) {
      if (!keepsVhdFileName(source, destination)) {
        reader.problem(
          properties.get('destination')?.value ?? item,
          l10n.t(
            "Hyper-V moves a disk only to a file of the same name: keep '{0}' and choose only the folder, e.g. '{1}'.",
            vhdFileName(source),
            withSourceFileName(source, destination),
          ),
          'plan.vhd-renamed',
          move,
        );
      }
      vhds.push({ source, destination });
    }
  }
  return vhds;
}

function readMove(reader: Reader, node: Node, index: number): PlanMove | undefined {
  if (node.type !== 'object') {
    reader.problem(node, l10n.t('A move must be an object: { "vm": "<name>", "destination": "<host>" }.'), 'plan.type', index);
    return undefined;
  }
  const properties = propertiesOf(node);
  reader.unknownProperties(properties, MOVE_PROPERTIES, 'move', index);
  const values: Partial<Record<MoveProperty, Span>> = {};
  for (const name of MOVE_PROPERTIES) {
    const value = properties.get(name)?.value;
    if (value) values[name] = spanOf(value);
  }
  const vm = reader.text(properties.get('vm')?.value, '"vm"', index);
  const source = reader.text(properties.get('source')?.value, '"source"', index);
  const destination = reader.text(properties.get('destination')?.value, '"destination"', index);
  const storagePath = reader.text(properties.get('storagePath')?.value, '"storagePath"', index);
  const note = properties.get('note')?.value;
  if (note && note.type !== 'string') reader.problem(note, l10n.t('{0} must be a string.', '"note"'), 'plan.type', index);
  const ha = properties.get('ha')?.value;
  if (ha && ha.type !== 'boolean') reader.problem(ha, l10n.t('"ha" must be true or false.'), 'plan.type', index);
  const vhds = readVhds(reader, properties.get('vhds')?.value, index);
  const fixes = readFixes(reader, properties.get('fixes')?.value, index);
  const vmKey = properties.get('vm');
  if (!vmKey) reader.problem(node, l10n.t('This move has no "vm": name the VM to move.'), 'plan.missing', index);
  if (!properties.has('destination'))
    reader.problem(vmKey?.key ?? node, l10n.t('This move has no "destination": name the host to move the VM to.'), 'plan.missing', index);
  if (vm === undefined || destination === undefined) return undefined;
  const anchor = vmKey
    ? { offset: vmKey.key.offset, length: (vmKey.value ?? vmKey.key).offset + (vmKey.value ?? vmKey.key).length - vmKey.key.offset }
    : spanOf(node);
  return {
    index,
    span: spanOf(node),
    anchor,
    vm,
    destination,
    ha: ha?.type === 'boolean' && ha.value === true,
    fixes,
    values,
    ...(source !== undefined && { source }),
    ...(storagePath !== undefined && { storagePath }),
    ...(vhds && { vhds }),
    ...(note?.type === 'string' && typeof note.value === 'string' && { note: note.value }),
  };
}

/** `"maintenance": ["HV01", "HV02"]`: host names, each once. */
function readMaintenance(reader: Reader, node: Node | undefined): PlanMaintenanceHost[] {
  if (!node) return [];
  if (node.type !== 'array') {
    reader.problem(node, l10n.t('"maintenance" must be a list of host names, e.g. "maintenance": ["HV01", "HV02"].'), 'plan.type');
    return [];
  }
  const hosts: PlanMaintenanceHost[] = [];
  for (const item of node.children ?? []) {
    const host = reader.text(
      item,
      { notString: l10n.t('A host of "maintenance" must be a string.'), empty: l10n.t('A host of "maintenance" is empty.') },
      undefined,
    );
    if (host === undefined) continue;
    if (hosts.some((h) => sameHost(h.host, host))) {
      reader.problem(item, l10n.t('{0} is in "maintenance" twice: each host is maintained once.', host), 'plan.duplicate-host');
      continue;
    }
    hosts.push({ host, span: spanOf(item) });
  }
  return hosts;
}

/** Reads a plan's text. Never throws: a broken file is one with problems and no moves. */
export function parsePlan(text: string): PlanFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const reader = new Reader();
  for (const error of errors) {
    reader.problem(
      { offset: error.offset, length: Math.max(1, error.length) },
      l10n.t('The plan is not valid JSON here: {0}.', describe(error)),
      'plan.syntax',
    );
  }
  const start: Span = { offset: 0, length: 0 };
  if (!root || root.type !== 'object') {
    if (errors.length === 0)
      reader.problem(
        root ?? start,
        l10n.t('A plan is a JSON object: { "moves": [ { "vm": "<name>", "destination": "<host>" } ] }.'),
        'plan.type',
      );
    return { order: 'longest-first', moves: [], maintenance: [], movesKey: start, problems: reader.problems };
  }
  const properties = propertiesOf(root);
  reader.unknownProperties(properties, TOP_LEVEL, 'plan');
  const name = reader.text(properties.get('name')?.value, '"name"', undefined);
  let order: PlanOrder = 'longest-first';
  const orderNode = properties.get('order')?.value;
  if (orderNode) {
    if (orderNode.type === 'string' && PLAN_ORDERS.includes(orderNode.value as PlanOrder)) order = orderNode.value as PlanOrder;
    else reader.problem(orderNode, l10n.t('"order" is one of: {0}.', PLAN_ORDERS.map((o) => `"${o}"`).join(', ')), 'plan.type');
  }
  let concurrency: number | undefined;
  const concurrencyNode = properties.get('concurrency')?.value;
  if (concurrencyNode) {
    const value: unknown = concurrencyNode.value;
    if (concurrencyNode.type === 'number' && typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 64)
      concurrency = value;
    else
      reader.problem(
        concurrencyNode,
        l10n.t('"concurrency" is a whole number from 1 to 64: how many moves run at once over the fleet.'),
        'plan.type',
      );
  }
  const moves: PlanMove[] = [];
  const maintenanceProperty = properties.get('maintenance');
  const maintenance = readMaintenance(reader, maintenanceProperty?.value);
  const movesProperty = properties.get('moves');
  const movesNode = movesProperty?.value;
  // A plan of maintenance only has nothing to move before it.
  if (!movesProperty) {
    if (!maintenanceProperty)
      reader.problem(
        root.children?.[0]?.children?.[0] ?? start,
        l10n.t('The plan has no "moves": list the moves, e.g. "moves": [ { "vm": "web01", "destination": "HV02" } ].'),
        'plan.missing',
      );
  } else if (!movesNode || movesNode.type !== 'array')
    reader.problem(movesNode ?? movesProperty.key, l10n.t('"moves" must be a list of moves.'), 'plan.type');
  else
    movesNode.children?.forEach((child, index) => {
      const move = readMove(reader, child, index);
      if (move) moves.push(move);
    });
  return {
    ...(name !== undefined && { name }),
    order,
    ...(concurrency !== undefined && { concurrency }),
    moves,
    maintenance,
    movesKey: movesProperty ? spanOf(movesProperty.key) : maintenanceProperty ? spanOf(maintenanceProperty.key) : start,
    problems: reader.problems,
  };
}

/** The parts of a plan that take properties. */
type PlanPart = 'plan' | 'move' | 'fix' | 'disk';

/** The two messages of a string value that are not "<its JSON name> must be a string / is empty". */
interface TextProblems {
  readonly notString: string;
  readonly empty: string;
}

function unknownProperty(name: string, where: PlanPart, known: string): string {
  switch (where) {
    case 'plan':
      return l10n.t("Unknown property '{0}' in the plan (expected one of: {1}).", name, known);
    case 'move':
      return l10n.t("Unknown property '{0}' in a move (expected one of: {1}).", name, known);
    case 'fix':
      return l10n.t("Unknown property '{0}' in a fix (expected one of: {1}).", name, known);
    case 'disk':
      return l10n.t("Unknown property '{0}' in a disk (expected one of: {1}).", name, known);
  }
}

function describe(error: ParseError): string {
  const words = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words;
}
