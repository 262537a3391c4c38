namespace ReportJob.Snapshots;

/// <summary>This machine's table: /proc/net/tcp and /proc/net/tcp6 on Linux, GetExtendedTcpTable on Windows.</summary>
internal sealed class LocalSnapshotSource : ISnapshotSource
{
    private const string ProcTcp = "/proc/net/tcp";
    private const string ProcTcp6 = "/proc/net/tcp6";

    public SnapshotSourceKind Kind => SnapshotSourceKind.Local;

    public async Task<TcpTable> ReadAsync(ServerOptions server, CancellationToken cancellationToken)
    {
        var report = new TcpTableParseReport();
        var rows = new List<TcpConnection>();
        if (OperatingSystem.IsWindows())
        {
            WindowsTcpTable.Read(rows);
            return new TcpTable(rows, report);
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new SnapshotSourceException($"The Local source reads /proc/net/tcp (Linux) or the Windows API; {Environment.OSVersion.Platform} is neither.");
        }

        // The two files are read one after the other, not atomically: a connection that moves between the reads is
        // missed or counted in one of them, which a snapshot of a live table cannot avoid anyway.
        ProcNetTcpParser.Parse(await ReadProcFileAsync(ProcTcp, required: true, cancellationToken), rows, report, ProcTcp, BitConverter.IsLittleEndian);
        ProcNetTcpParser.Parse(await ReadProcFileAsync(ProcTcp6, required: false, cancellationToken), rows, report, ProcTcp6, BitConverter.IsLittleEndian);
        return new TcpTable(rows, report);
    }

    private static async Task<byte[]> ReadProcFileAsync(string path, bool required, CancellationToken cancellationToken)
    {
        try
        {
            // /proc files report length 0; ReadAllBytes reads them to the end all the same.
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException) when (!required)
        {
            return []; // IPv6 disabled in the kernel: no tcp6 table.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SnapshotSourceException($"Cannot read {path}: {ex.Message}", ex);
        }
    }
}
