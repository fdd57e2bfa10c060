function Get-MigrationHostFacts($VmHost, $System, $Networks, $Cpu) {
    # What both sides of a check read of a host's live-migration settings (run on the host, in its session): an
    # ordered dictionary of strings, numbers and arrays, to which each side adds what only it reads.
    [ordered]@{
        name                     = [string]$VmHost.ComputerName
        # VMHost.FullyQualifiedDomainName is only the domain (Win32_ComputerSystem.Domain).
        fqdn                     = if ($System.PartOfDomain -and $System.Domain) { '{0}.{1}' -f $System.DNSHostName, $System.Domain } else { [string]$System.DNSHostName }
        migrationEnabled         = [bool]$VmHost.VirtualMachineMigrationEnabled
        useAnyNetwork            = [bool]$VmHost.UseAnyNetworkForMigration
        networks                 = @(foreach ($network in $Networks) { [string]$network.Subnet })
        authenticationType       = [string]$VmHost.VirtualMachineMigrationAuthenticationType
        maximumVmMigrations      = [int]$VmHost.MaximumVirtualMachineMigrations
        maximumStorageMigrations = [int]$VmHost.MaximumStorageMigrations
        cpuVendor                = [string]$Cpu.Manufacturer
        cpuName                  = [string]$Cpu.Name
    }
}
function Get-VmFacts($Vm, $Processor) {
    # What every read of a VM answers of it (the tree's inventory, a check's source; run on its host): its name,
    # state and what a move depends on, to which each read adds what only it reads.
    [ordered]@{
        name                      = [string]$Vm.Name
        state                     = [string]$Vm.State
        status                    = [string]$Vm.Status
        version                   = [string]$Vm.Version
        memoryStartup             = [int64]$Vm.MemoryStartup
        memoryAssigned            = [int64]$Vm.MemoryAssigned
        isClustered               = [bool]$Vm.IsClustered
        compatibilityForMigration = [bool]($Processor -and $Processor.CompatibilityForMigrationEnabled)
    }
}
