@{
    RootModule           = 'HyperVLab.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1f6c2e-2b8e-4d4e-9a57-3c1d0b6f7a11'
    Author               = 'Hyper-V Live Migration'
    Description          = 'A simulated Hyper-V fleet (Hyper-V, Active Directory and failover clustering cmdlets) over a JSON lab file, for tests and demos.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    # Every Public/*.ps1 is one cmdlet; the .psm1 exports them by file name.
    FunctionsToExport    = '*'
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('Hyper-V', 'Lab', 'LiveMigration') } }
}
