# HA on: makes the VM (selected by Id: names may hold wildcards) a role of the failover cluster whose node
# it runs on, under the role name it had. Add-ClusterVirtualMachineRole "cannot be run remotely without
# CredSSP" (Microsoft Learn), so it runs on that node ($Params.Host), in the node's remoting session, on the
# node's own cluster (no -Cluster), as Windows Admin Center does. Values go in through -ArgumentList.
param($VmId, $Role)
Add-ClusterVirtualMachineRole -VMId $VmId -Name $Role -ErrorAction Stop
