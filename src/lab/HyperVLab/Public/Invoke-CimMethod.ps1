function Invoke-CimMethod
{
    <#
        .SYNOPSIS
            The lab's stand-in for Invoke-CimMethod, for the one method the extension calls on a lab
            host: RequestStateChange on an Msvm_MigrationJob (RequestedState 4 terminates the move;
            ReturnValue 0, or 4097 when the job is not running).
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
        if ($InputObject.PSObject.TypeNames -notcontains 'Microsoft.Management.Infrastructure.CimInstance#root/virtualization/v2/Msvm_MigrationJob')
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category NotImplemented -ErrorId 'HRESULT 0x8004100c,Microsoft.Management.Infrastructure.CimCmdlets.InvokeCimMethodCommand' `
                -TargetObject $MethodName -Message "Not supported: the lab answers Invoke-CimMethod for Msvm_MigrationJob only, not for '$($InputObject.PSObject.TypeNames[0])'."))
            return
        }
        if ($MethodName -ne 'RequestStateChange')
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category NotImplemented -ErrorId 'HRESULT 0x8004100c,Microsoft.Management.Infrastructure.CimCmdlets.InvokeCimMethodCommand' `
                -TargetObject $MethodName -Message "Not supported: Msvm_MigrationJob method '$MethodName'."))
            return
        }
        $index = Enter-LabCall
        $hostRecord = Enter-LabHost -ComputerName ([System.String] $InputObject.PSComputerName) -Index $index -Cmdlet $PSCmdlet
        if ($null -eq $hostRecord) { return }
        $requested = if ($null -ne $Arguments -and $Arguments.Contains('RequestedState')) { [System.Int32] $Arguments['RequestedState'] } else { -1 }
        $returnValue = 1
        if ($requested -in 4, 5)
        {
            $id = [System.String] $InputObject.InstanceID
            $stopped = Update-LabState { param ($state) Stop-LabMove -State $state -Id $id }
            $returnValue = if ($stopped) { 0 } else { 4097 }
        }
        $result = [pscustomobject][ordered]@{ ReturnValue = [System.UInt32] $returnValue; PSComputerName = $hostRecord.name }
        Add-LabTypeName -Object $result -TypeName 'Microsoft.Management.Infrastructure.CimMethodResult'
    }
}
