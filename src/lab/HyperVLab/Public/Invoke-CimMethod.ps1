function Invoke-CimMethod
{
    <#
        .SYNOPSIS
            The lab's stand-in for Invoke-CimMethod, for the methods the extension calls on a lab host:
            Msvm_MigrationJob.RequestStateChange (RequestedState 4 cancels the move) and
            Msvm_VirtualSystemManagementService.DestroySystem (removes a planned VM a failed move left).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('CimInstance')]
        [System.Management.Automation.PSObject]
        $InputObject,

        [Parameter(Mandatory = $true, Position = 1)]
        [System.String]
        $MethodName,

        [Parameter(Position = 2)]
        [System.Collections.IDictionary]
        $Arguments,

        [Parameter()]
        [System.UInt32]
        $OperationTimeoutSec
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $index = Enter-LabCall
        $hostRecord = Enter-LabHost -ComputerName ([System.String] $InputObject.PSComputerName) -Index $index -Cmdlet $PSCmdlet
        if ($null -eq $hostRecord) { return }
        $types = $InputObject.PSObject.TypeNames
        $returnValue = $null
        if ($types -contains "${script:LabCimPrefix}Msvm_MigrationJob")
        {
            $returnValue = Invoke-LabMigrationJobMethod -Job $InputObject -MethodName $MethodName -Arguments $Arguments
        }
        elseif ($types -contains "${script:LabCimPrefix}Msvm_VirtualSystemManagementService")
        {
            $returnValue = Invoke-LabManagementServiceMethod -Service $InputObject -MethodName $MethodName -Arguments $Arguments
        }
        if ($null -eq $returnValue)
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category NotImplemented -ErrorId 'HRESULT 0x8004100c,Microsoft.Management.Infrastructure.CimCmdlets.InvokeCimMethodCommand' `
                -TargetObject $MethodName -Message "Not supported: the lab does not answer method '$MethodName' of '$($types[0])' with these arguments."))
            return
        }
        $result = [pscustomobject][ordered]@{ ReturnValue = [System.UInt32] $returnValue; PSComputerName = $hostRecord.name }
        Add-LabTypeName -Object $result -TypeName 'Microsoft.Management.Infrastructure.CimMethodResult'
    }
}
