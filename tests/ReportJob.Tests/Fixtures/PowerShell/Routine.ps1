# The users' routine, run over the stand-in's connections: its own Export-Csv line writes the connection file, and
# PowerShell computes what the routine's other two files hold (Group-Object RemoteAddress; per class-C subnet the
# clients and Measure-Object -Average -Maximum of their connections), in the culture given.
param([string] $Connections, [string] $Culture, [string] $Out, [string] $Now)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'NetTcpConnection.ps1')
[Threading.Thread]::CurrentThread.CurrentCulture = $Culture
$script:NetTcpConnections = @(Read-NetTcpConnections $Connections)

$nowdt = [datetime]::ParseExact($Now, 'yyyy-MM-dd HH:mm:ss', [Globalization.CultureInfo]::InvariantCulture)
$now = $nowdt.ToString('yyyyMMdd-HHmm')
$result = Get-NetTCPConnection | where {(($_.localport -eq 443) -and ($_.remoteport -ne 0))}

# The routine's line, word for word.
$result | select @{name="datetime";expression={$now}}, LocalAddress, RemoteAddress, RemotePort, State, CreationTime, @{name="duration";expression={[long]($nowdt-[datetime]($_.creationtime)).totalseconds}} | export-csv -delimiter "," -encoding unicode -path (Join-Path $Out "iisports-$now.csv") -notypeinformation

# The subnet -> site list as the companion script writes it.
@(
    [pscustomobject]@{ SubnetB = '10.1.1'; Sitename = 'PaderbornClient' }
    [pscustomobject]@{ SubnetB = '10.2.1'; Sitename = 'Berlin' }
    [pscustomobject]@{ SubnetB = '10.10.10'; Sitename = 'PaderbornServer' }
) | Export-Csv -Encoding unicode -Path (Join-Path $Out 'subnet2site.csv') -NoTypeInformation
$sites = @{}
Import-Csv (Join-Path $Out 'subnet2site.csv') | ForEach-Object { $sites[$_.SubnetB] = $_.Sitename }

# ReportJob counts an IPv4-mapped client as its IPv4 address (its README says so); the rest is the routine's grouping.
$clients = $result | select @{name="RemoteAddress";expression={$_.RemoteAddress -replace '^::ffff:', ''}} | Group-Object RemoteAddress
$clients | select @{name="RemoteAddress";expression={$_.Name}}, Count | Export-Csv -Encoding unicode -Path (Join-Path $Out 'expected-groupbyremoteaddress.csv') -NoTypeInformation

function SubnetB([string] $address) {
    $ip = [System.Net.IPAddress]::Parse($address)
    if ($ip.AddressFamily -eq 'InterNetwork') { return ($address -split '\.')[0..2] -join '.' }
    $bytes = $ip.GetAddressBytes(); for ($i = 8; $i -lt 16; $i++) { $bytes[$i] = 0 }
    return ([System.Net.IPAddress]::new($bytes).ToString() + '/64')
}
$clients | Group-Object { SubnetB $_.Name } | ForEach-Object {
    $m = $_.Group | Measure-Object Count -Average -Maximum
    $site = $sites[$_.Name]; if (-not $site) { $site = '(unknown)' }
    [pscustomobject]@{ SubnetB = $_.Name; Client = $_.Count; Sitename = $site; avgconnection = $m.Average; maxconnection = [int]$m.Maximum }
} | Export-Csv -Encoding unicode -Path (Join-Path $Out 'expected-connectionbysite.csv') -NoTypeInformation
