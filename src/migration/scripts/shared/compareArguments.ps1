function Get-CompareArguments($Vm, [string]$Destination, [string]$StoragePath, $Vhds, $DestinationCredential) {
    # Compare-VM's parameters for a move, in the parameter set the move uses: everything to one folder
    # (-IncludeStorage), or each disk in $Vhds ({SourceFilePath, DestinationFilePath}) to its own file and
    # the rest of the VM to the folder (-Vhds, which takes no -IncludeStorage). The destination's stored
    # credential, when there is one, goes on to it (a second hop from the source).
    $compareArguments = @{ VM = $Vm; DestinationHost = $Destination }
    if ($DestinationCredential) { $compareArguments.DestinationCredential = $DestinationCredential }
    if ($null -ne $Vhds) {
        $compareArguments.VirtualMachinePath = $StoragePath
        $compareArguments.SnapshotFilePath = $StoragePath
        $compareArguments.SmartPagingFilePath = $StoragePath
        $compareArguments.Vhds = [hashtable[]]@($Vhds | ForEach-Object { @{ SourceFilePath = [string]$_.SourceFilePath; DestinationFilePath = [string]$_.DestinationFilePath } })
    } else {
        $compareArguments.IncludeStorage = $true
        $compareArguments.DestinationStoragePath = $StoragePath
    }
    $compareArguments
}
function Get-DestinationParameters([string]$Destination, $DestinationCredential) {
    # What reaches the destination from the source (Get-VMHost, Get-VMSwitch): its name, and its stored
    # credential when there is one.
    $toDestination = @{ ComputerName = $Destination }
    if ($DestinationCredential) { $toDestination.Credential = $DestinationCredential }
    $toDestination
}
