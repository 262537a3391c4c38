using System.Globalization;
using System.Text;

namespace ReportJob.Snapshots;

/// <summary>
/// The command an ssh source runs on a Windows server: a PowerShell script, passed with -EncodedCommand (base64 of
/// UTF-16LE) so that no shell on the way (cmd.exe or PowerShell as the OpenSSH default shell) can mangle its quotes.
/// The script writes CSV with invariant values: dates as ISO 8601 UTC ('o'), states as numbers; Windows PowerShell
/// 5.1's own ConvertTo-Csv would write dates in the server's locale.
/// </summary>
internal static class WindowsTcpScript
{
    /// <summary>The CSV header the script writes first, also when there is no connection.</summary>
    public const string Header = "LocalAddress,LocalPort,RemoteAddress,RemotePort,State,CreationTime,OwningProcess";

    /// <summary>The script for the configured local ports (empty: every port).</summary>
    public static string Script(IReadOnlyCollection<int> localPorts)
    {
        // Get-NetTCPConnection reports "no matching objects" as an error (ObjectNotFound) when a port has no
        // connection: that one is expected; any other error stops the script with a non-zero exit code.
        var filter = localPorts.Count == 0
            ? ""
            : " -LocalPort " + string.Join(",", localPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return $$"""
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'SilentlyContinue'
            $found = @(Get-NetTCPConnection{{filter}} -ErrorAction SilentlyContinue -ErrorVariable failures)
            $real = @($failures | Where-Object { $_.CategoryInfo.Category -ne 'ObjectNotFound' })
            if ($real.Count -gt 0) { throw $real[0] }
            '{{Header}}'
            foreach ($c in $found) {
              if ($c.State -eq 'Listen' -or $c.State -eq 'Bound') { continue }
              $created = ''
              if ($c.CreationTime) { $created = $c.CreationTime.ToUniversalTime().ToString('o', [Globalization.CultureInfo]::InvariantCulture) }
              [string]::Join(',', [string[]]@($c.LocalAddress, $c.LocalPort, $c.RemoteAddress, $c.RemotePort, [int]$c.State, $created, $c.OwningProcess))
            }
            """;
    }

    /// <summary>The remote command line: <c>powershell -NoProfile -NonInteractive -EncodedCommand BASE64</c>.</summary>
    public static string Command(IReadOnlyCollection<int> localPorts) =>
        "powershell -NoProfile -NonInteractive -EncodedCommand " + Convert.ToBase64String(Encoding.Unicode.GetBytes(Script(localPorts)));
}
