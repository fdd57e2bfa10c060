# The Hyper-V enums the lab stores and emits, by name (values from the real module 2.0.0.0).
# Objects carry enum names as strings, the way our scripts send them (ConvertTo-Json -EnumsAsStrings).

$script:LabEnums = @{}
$script:LabEnums.VMState = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('Other', 'Running', 'Off', 'Stopping', 'Saved', 'Paused', 'Starting', 'Reset', 'Saving', 'Pausing', 'Resuming', 'FastSaved', 'FastSaving', 'ForceShutdown', 'ForceReboot', 'Hibernated', 'ComponentServicing', 'RunningCritical', 'OffCritical', 'StoppingCritical', 'SavedCritical', 'PausedCritical', 'StartingCritical', 'ResetCritical', 'SavingCritical', 'PausingCritical', 'ResumingCritical', 'FastSavedCritical', 'FastSavingCritical'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.VMSwitchType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('Private', 'Internal', 'External'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.MigrationAuthenticationType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('CredSSP', 'Kerberos'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.VMMigrationPerformance = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('TCPIP', 'Compression', 'SMB'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.VhdType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('Unknown', 'Fixed', 'Dynamic', 'Differencing'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.VhdFormat = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('Unknown', 'VHD', 'VHDX', 'VHDSet'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.ControllerType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('IDE', 'SCSI', 'PMEM'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.VirtualMachineType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('RealizedVirtualMachine', 'PlannedVirtualMachine'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.SnapshotType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('Standard', 'Recovery', 'Planned', 'Missing', 'Replica', 'AppConsistentReplica', 'SyncedReplica'),
    [System.StringComparer]::OrdinalIgnoreCase)
$script:LabEnums.DvdMediaType = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList @(
    [string[]] @('None', 'ISO', 'PassThrough'),
    [System.StringComparer]::OrdinalIgnoreCase)
