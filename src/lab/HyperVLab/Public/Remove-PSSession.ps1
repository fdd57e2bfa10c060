function Remove-PSSession
{
    <#
        .SYNOPSIS
            The lab's Remove-PSSession: closes sessions New-PSSession opened (given as objects, or by -Id,
            -Name, -InstanceId or -ComputerName among this process's sessions); they leave Get-PSSession and
            their State becomes Closed (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/remove-pssession).
            Closing an open session to a reachable host is one round trip (the call latency, sessions at once);
            a broken one closes locally. A session already removed is no error (assumption).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Id', SupportsShouldProcess = $true)]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Id', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [System.Int32[]]
        $Id,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Session', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [PSTypeName('System.Management.Automation.Runspaces.PSSession')]
        [System.Management.Automation.PSObject[]]
        $Session,

        [Parameter(Mandatory = $true, ParameterSetName = 'InstanceId', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [System.Guid[]]
        $InstanceId,

        [Parameter(Mandatory = $true, ParameterSetName = 'Name', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ComputerName', ValueFromPipelineByPropertyName = $true)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName
    )

    begin
    {
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $closing = [System.Collections.Generic.List[object]]::new()
    }

    process
    {
        $chosen = switch ($PSCmdlet.ParameterSetName)
        {
            'Session' { $Session }
            'ComputerName' { @($script:LabSessions | Where-Object { $s = $_; @($ComputerName | Where-Object { $s.ComputerName -like $_ }).Count -gt 0 }) }
            # -Id, -InstanceId or -Name.
            default { @(Select-LabSession -Bound $PSBoundParameters) }
        }
        foreach ($item in $chosen) { if ($null -ne $item) { $closing.Add($item) } }
    }

    end
    {
        $index = $null
        $costs = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $closing)
        {
            $record = Get-LabSessionRecord -Session $item
            if ($null -eq $record) { continue }
            if (-not $PSCmdlet.ShouldProcess($item.ComputerName, "Remove the session $($item.Name)")) { continue }
            if ($null -eq $index) { $index = Enter-LabCall }
            if ($record.State -eq 'Opened' -and (Test-LabHostReachable -Index $index -HostName $record.HostName)) { $costs.Add((Register-LabCallCost -Index $index -HostName $record.HostName)) }
            Close-LabSession -Session $item
        }
        Wait-LabCost -Costs $costs
    }
}
