// Configure Live Migration across hosts: read every host's migration settings and the constrained
// delegation of its AD account (read.ts), judge every ordered pair (judge.ts), plan the smallest set of
// changes that makes every pair ready (plan.ts), and apply it with fixed scripts whose preview is exactly
// what runs (apply.ts).
export {
  type DelegationAccount,
  type FleetConfigOptions,
  type FleetConfiguration,
  type HostConfiguration,
  type HostConfigReading,
  type PairGap,
  type PairState,
  configReadScript,
  readFleetConfiguration,
} from './read';
export { MIGRATION_SERVICE, delegationEntries, isFleetReady, judgePairs, pairOf } from './judge';
export {
  type ConfigChange,
  type ConfigChangeKind,
  type FleetConfigurationPlan,
  type PairRef,
  type PlanOptions,
  changeScripts,
  changeWrites,
  planFleetConfiguration,
} from './plan';
export {
  type ChangeResult,
  type FleetApplyResult,
  type TicketRefresh,
  applyFleetConfiguration,
  refreshKerberosTickets,
  refreshTicketsPreview,
  refreshTicketsScript,
} from './apply';
