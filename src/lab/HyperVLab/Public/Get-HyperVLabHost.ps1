function Get-HyperVLabHost
{
    <#
    .SYNOPSIS
        The lab's hosts in lab order: what a real fleet lists in the hyperv.hosts setting.
    #>
    [CmdletBinding()]
    param ()

    foreach ($hostRecord in @((Get-LabIndex).State.hosts))
    {
        [pscustomobject][ordered]@{ Name = $hostRecord.name; FullyQualifiedDomainName = $hostRecord.fqdn }
    }
}
