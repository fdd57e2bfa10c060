function Get-HyperVLabHost
{
    <#
    .SYNOPSIS
        The lab's hosts in lab order: what a real fleet lists in the hyperv.hosts setting.
    #>
    [CmdletBinding()]
    param ()

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    foreach ($hostRecord in @((Enter-LabCall).State.hosts))
    {
        [pscustomobject][ordered]@{ Name = $hostRecord.name; FullyQualifiedDomainName = $hostRecord.fqdn }
    }
}
