function Get-CompareArguments($Vm, [string]$Destination, [string]$StoragePath, $Vhds) {
    # Compare-VM's parameters for a move, in the parameter set the move uses: everything to one folder
    # (-IncludeStorage), or each disk in $Vhds ({SourceFilePath, DestinationFilePath}) to its own file and
    # the rest of the VM to the folder (-Vhds, which takes no -IncludeStorage).
    $compareArguments = @{ VM = $Vm; DestinationHost = $Destination }
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
