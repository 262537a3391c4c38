using System.ComponentModel.DataAnnotations;

namespace ReportJob.Snapshots;

/// <summary>One server whose connections are collected.</summary>
public sealed class ServerOptions
{
    /// <summary>The name shown in reports (e.g. the Exchange server's host name).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "";

    /// <summary><c>Local</c>, <c>Ssh</c> or <c>Csv</c>.</summary>
    public SnapshotSourceKind Source { get; set; } = SnapshotSourceKind.Local;

    /// <summary>Ssh: the host name or address to connect to (default: <see cref="Name"/>).</summary>
    public string? Host { get; set; }

    /// <summary>Ssh: the TCP port of sshd.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 22;

    /// <summary>Ssh: the remote user (default: ssh's own default).</summary>
    public string? User { get; set; }

    /// <summary>Ssh: the private key file (key authentication only; BatchMode never asks for a password).</summary>
    public string? IdentityFile { get; set; }

    /// <summary>Ssh: a known_hosts file to check the host key against (default: ssh's own).</summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>Ssh: <c>Linux</c> (reads /proc/net/tcp*) or <c>Windows</c> (Get-NetTCPConnection).</summary>
    public RemoteOs Os { get; set; } = RemoteOs.Linux;

    /// <summary>
    /// Csv: the drop folder the PowerShell script writes to; imported files move to done/, bad ones to failed/. A Csv
    /// server without one receives its rows from files imported by path or from another server's folder (through
    /// <see cref="Addresses"/>).
    /// </summary>
    public string? DropFolder { get; set; }

    /// <summary>
    /// The server's own IP addresses. A CSV file without a server column (the routine writes one file for every DAG
    /// member and keeps only LocalAddress) gives each row to the server that lists its LocalAddress; an address that no
    /// server lists is shown as the address.
    /// </summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>
    /// Csv: a file of this folder without a server column whose rows have several local addresses holds several
    /// servers and is split by LocalAddress (true, the default); a file of one local address is this server's. False:
    /// every row of this folder's files is this server's, whatever its LocalAddress.
    /// </summary>
    public bool SplitByLocalAddress { get; set; } = true;

    /// <summary>
    /// Csv: the time zone the server wrote its local times in (Export-Csv writes <c>Get-Date</c> and CreationTime as
    /// local time without an offset): an IANA id (<c>Europe/Berlin</c>) or a Windows id (<c>W. Europe Standard Time</c>).
    /// Default: <c>Snapshots:TimeZone</c>.
    /// </summary>
    public string? TimeZone { get; set; }

    /// <summary>Collect this server (false keeps it configured but skipped).</summary>
    public bool Enabled { get; set; } = true;
}
