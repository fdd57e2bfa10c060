function Get-PSSession
{
    <#
        .SYNOPSIS
            The lab's Get-PSSession: the sessions New-PSSession opened in this PowerShell process and
            Remove-PSSession has not removed, in opening order, filtered by -Name (wildcards), -Id or
            -InstanceId (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-pssession).
            -ComputerName contacts each computer (a connection, with its cost and WinRM's error when the host
            cannot be reached) and lists this process's sessions to it; sessions other processes opened on
            the host are not listed (the lab keeps sessions per process).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType('System.Management.Automation.Runspaces.PSSession')]
    param
    (
        [Parameter(ParameterSetName = 'Name', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ComputerName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ComputerName', ValueFromPipelineByPropertyName = $true)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Id', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [System.Int32[]]
        $Id,

        [Parameter(ParameterSetName = 'InstanceId', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [System.Guid[]]
        $InstanceId
    )

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $hosts = $null
    if ($PSCmdlet.ParameterSetName -eq 'ComputerName')
    {
        # A connection to each computer, as Invoke-Command -ComputerName opens one (its cost, WinRM's error).
        $hosts = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        $reached = Open-LabConnection -Index (Enter-LabCall) -Cmdlet $PSCmdlet -ComputerName $ComputerName -NewError 'New-LabRemotingError'
        foreach ($target in $reached) { $null = $hosts.Add($target.HostName) }
    }
    foreach ($session in (Select-LabSession -Bound $PSBoundParameters))
    {
        if ($null -eq $hosts -or $hosts.Contains((Get-LabSessionRecord -Session $session).HostName)) { $session }
    }
}
