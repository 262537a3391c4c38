# A stand-in for Get-NetTCPConnection (which exists on Windows only): it returns the connections of a JSON file as
# objects shaped like the cmdlet's: State an enum numbered as MSFT_NetTCPConnection's, ports as UInt16, CreationTime
# a local DateTime (FILETIME 0, 1/1/1601, where Windows does not know it), and it reports "no matching objects" as
# an ObjectNotFound error, as the cmdlet does.
enum TcpState { Closed = 1; Listen = 2; SynSent = 3; SynReceived = 4; Established = 5; FinWait1 = 6; FinWait2 = 7
                CloseWait = 8; Closing = 9; LastAck = 10; TimeWait = 11; DeleteTCB = 12; Bound = 100 }

function Read-NetTcpConnections([string] $path) {
    foreach ($c in (Get-Content -Raw -Path $path | ConvertFrom-Json)) {
        $created = if ($c.CreatedUtcTicks -eq 0) { [datetime]::FromFileTime(0) } else { [datetime]::new([long]$c.CreatedUtcTicks, 'Utc').ToLocalTime() }
        [pscustomobject]@{
            LocalAddress  = $c.LocalAddress
            LocalPort     = [uint16]$c.LocalPort
            RemoteAddress = $c.RemoteAddress
            RemotePort    = [uint16]$c.RemotePort
            State         = [TcpState]$c.State
            CreationTime  = $created
            OwningProcess = [uint32]$c.OwningProcess
        }
    }
}

function Get-NetTCPConnection {
    [CmdletBinding()]
    param([uint16[]] $LocalPort)
    $found = @($script:NetTcpConnections | Where-Object { -not $LocalPort -or $LocalPort -contains $_.LocalPort })
    if ($found.Count -eq 0) {
        Write-Error -Message 'No matching MSFT_NetTCPConnection objects found' -Category ObjectNotFound
        return
    }
    $found
}
