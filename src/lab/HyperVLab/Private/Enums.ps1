# The Hyper-V enums the lab stores and emits, by name (values from the real module 2.0.0.0).
# Objects carry enum names as strings, the way our scripts send them (ConvertTo-Json -EnumsAsStrings).

# Each enum is a case-insensitive set of its names.
$script:LabEnums = @{}
$labEnumNames = [ordered]@{
    VMState                     = 'Other', 'Running', 'Off', 'Stopping', 'Saved', 'Paused', 'Starting', 'Reset', 'Saving', 'Pausing', 'Resuming', 'FastSaved', 'FastSaving', 'ForceShutdown', 'ForceReboot', 'Hibernated', 'ComponentServicing', 'RunningCritical', 'OffCritical', 'StoppingCritical', 'SavedCritical', 'PausedCritical', 'StartingCritical', 'ResetCritical', 'SavingCritical', 'PausingCritical', 'ResumingCritical', 'FastSavedCritical', 'FastSavingCritical'
    VMSwitchType                = 'Private', 'Internal', 'External'
    MigrationAuthenticationType = 'CredSSP', 'Kerberos'
    VMMigrationPerformance      = 'TCPIP', 'Compression', 'SMB'
    VhdType                     = 'Unknown', 'Fixed', 'Dynamic', 'Differencing'
    VhdFormat                   = 'Unknown', 'VHD', 'VHDX', 'VHDSet'
    ControllerType              = 'IDE', 'SCSI', 'PMEM'
    VirtualMachineType          = 'RealizedVirtualMachine', 'PlannedVirtualMachine'
    SnapshotType                = 'Standard', 'Recovery', 'Planned', 'Missing', 'Replica', 'AppConsistentReplica', 'SyncedReplica'
    DvdMediaType                = 'None', 'ISO', 'PassThrough'
}
foreach ($labEnum in $labEnumNames.GetEnumerator())
{
    $script:LabEnums[$labEnum.Key] = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @([string[]] $labEnum.Value, [System.StringComparer]::OrdinalIgnoreCase)
}
Remove-Variable -Name 'labEnumNames', 'labEnum'
