param($Params, $Credential)
# HA off: removes the VM's role (its cluster group and, with -RemoveResources, the VM's cluster resources)
# from the failover cluster. The VM itself stays on its node as it is, running, no longer clustered.
# ---- fix ----
Remove-ClusterGroup -Name $Params.Role -Cluster $Params.Cluster -RemoveResources -Force
