// What the HA workflow reads and runs on the hosts: where the VM is and what holds it (one look at the source,
// the destination and their clusters), and the scripts that remove and add its cluster role.

import { array, boolean, object, optionalString, string, stringItem } from '../../hyperv/decode';
import { defineScript } from '../../powershell/script';
import { inSessionFix, inSession, onHostFix, param } from '../fixScript';
import haAddRoleText from '../scripts/haAddRole.ps1';
import haStateText from '../scripts/haState.ps1';
import type { FixArgument } from '../types';

/** Cluster, role and volume names (and VM ids) compare without case. */
export const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

export interface HaRole {
  readonly cluster: string;
  /** The cluster group's name (the role's name). */
  readonly name: string;
  readonly ownerNode: string;
  readonly state: string;
}

export interface HaState {
  /** Where the VM was found (source first), or null. */
  readonly vm: {
    readonly host: string;
    readonly name: string;
    readonly state: string;
    readonly status: string;
    readonly isClustered: boolean;
  } | null;
  readonly sourceCluster: string | null;
  readonly destinationCluster: string | null;
  /** The VM's role in either cluster, or null. */
  readonly role: HaRole | null;
  readonly destinationVmPath: string | null;
  /**
   * When the destination is a cluster node: its cluster shared volumes (`C:\ClusterStorage\Volume1\`), or
   * null when they could not be read (or the destination is no cluster node).
   */
  readonly sharedVolumes: readonly string[] | null;
  /** Hosts or clusters that did not answer a look. */
  readonly problems: readonly string[];
}

function decodeState(data: unknown): HaState {
  const path = 'haState';
  const o = object(data, path);
  const vm = o.vm === null || o.vm === undefined ? null : object(o.vm, `${path}.vm`);
  const role = o.role === null || o.role === undefined ? null : object(o.role, `${path}.role`);
  return {
    vm: vm && {
      host: string(vm, 'host', `${path}.vm`),
      name: string(vm, 'name', `${path}.vm`),
      state: string(vm, 'state', `${path}.vm`),
      status: typeof vm.status === 'string' ? vm.status : '',
      isClustered: boolean(vm, 'isClustered', `${path}.vm`),
    },
    sourceCluster: optionalString(o, 'sourceCluster', path),
    destinationCluster: optionalString(o, 'destinationCluster', path),
    role: role && {
      cluster: string(role, 'cluster', `${path}.role`),
      name: string(role, 'name', `${path}.role`),
      ownerNode: string(role, 'ownerNode', `${path}.role`),
      state: typeof role.state === 'string' ? role.state : '',
    },
    destinationVmPath: optionalString(o, 'destinationVmPath', path),
    sharedVolumes: o.sharedVolumes === null || o.sharedVolumes === undefined ? null : array(o, 'sharedVolumes', path, stringItem),
    problems: array(o, 'problems', path, stringItem),
  };
}

export type RoleParams = Readonly<Record<string, FixArgument>>;

export const haStateScript = defineScript<{ readonly VmId: string; readonly Source: string; readonly Destination: string }, HaState>(
  'haState',
  haStateText,
  decodeState,
);
export const haRemoveRoleScript = inSessionFix(
  'haRemoveRole',
  [
    "HA off: removes the VM's role (its cluster group and, with -RemoveResources, the VM's cluster resources)",
    'from the failover cluster. The VM itself stays on its node as it is, running, no longer clustered.',
  ],
  inSession`Remove-ClusterGroup -Name ${param('Role')} -Cluster ${param('Cluster')} -RemoveResources -Force`,
);
export const haAddRoleScript = onHostFix('haAddRole', haAddRoleText, { host: 'Host', args: ['VmId', 'Role'], strict: true });
