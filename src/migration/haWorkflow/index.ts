// The HA workflow: moving a clustered VM (a VirtualMachine role of a failover cluster) to another cluster or
// a standalone host, as one guarded workflow whose steps are shown and scripted: check (the preflight
// engine; the cluster role is the one finding the workflow resolves), remove the role (HA off), move (the
// executor), add the role on the destination cluster when the destination is a cluster node (HA on),
// verify. If the move fails or is cancelled, HA is restored on the source cluster and the VM is confirmed
// running on its source. A role is added on the node the VM runs on (Add-ClusterVirtualMachineRole does not
// run remotely), and a VM bound for a cluster node keeps its role unless its files go to cluster storage.
// Every step is journaled before it runs and when it ends; after a reload the next extension host picks the
// workflow up (resumeHaWorkflows): it follows a move that still runs, then where the VM is and what holds it
// decide the rest: moved, its role is added on the destination cluster; not moved, HA is restored on the
// source cluster. Nothing new is started after a reload (a move that had not started is not started).

export { clusterStorageProblem, prepareHaWorkflow, resumeHaWorkflows } from './prepare';
export { haAddRoleScript, haRemoveRoleScript, haStateScript, type HaRole, type HaState } from './state';
export type { HaPhase, HaPrepared, HaStep, HaStepId, HaStepStatus, HaWorkflow, HaWorkflowOptions, HaWorkflowState } from './types';
