param($Params, $Credential)
# HA on: makes the VM (selected by Id: names may hold wildcards) a role of the failover cluster whose node
# it runs on, under the role name it had.
# ---- fix ----
$null = Add-ClusterVirtualMachineRole -VMId $Params.VmId -Name $Params.Role -Cluster $Params.Cluster
