function klist.exe
{
    <#
        .SYNOPSIS
            Windows' klist.exe as a lab host answers it (run through Invoke-Command). Lab hosts hold no
            Kerberos tickets: `klist purge` succeeds with klist's own text, anything else is refused as klist
            refuses an unknown command.
    #>
    $global:LASTEXITCODE = 0
    if ($args.Count -ge 1 -and $args[0] -eq 'purge')
    {
        $logonId = if ($args.Count -ge 3 -and $args[1] -eq '-li') { [System.String] $args[2] } else { '0x0' }
        "Current LogonId is 0:$logonId"
        "Targeted LogonId is 0:$logonId"
        "`tDeleting all tickets:"
        "`tTicket(s) purged!"
        return
    }
    $global:LASTEXITCODE = 1
    'Usage: klist [-lh <LogonId.HighPart>] [-li <LogonId.LowPart>] tickets | tgt | purge | sessions | kcd_cache | get | add_bind | query_bind | purge_bind'
}
