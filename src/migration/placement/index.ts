// Placement: where each VM of a drain (or of a "Migrate…" of many VMs) should go, rated like SCVMM's host
// ratings: a score out of 100 and the lines that made it. The preflight engine decides readiness
// (blockers exclude a host, warnings lower it); the plan's own choices are made where a blocker offers
// one (an adapter mapped to a destination switch, an ISO ejected on the moved VM) and checked again;
// then hosts are rated on memory and disk left after the moves already planned onto them, processor and
// switch fit. VMs are placed largest first, each on its best host that still has room. The admin can
// override a VM's destination (withDestination); VMs no host can take are listed with why, before
// anything moves.

export { assign, planPlacement, withDestination } from './assignment';
export { autoPlan } from './autoPlan';
export { estimateMs, vendorOf } from './capacity';
export { evaluate, type Wanted } from './evaluation';
export { placementFacts, type MoveSize } from './facts';
export type * from './types';
