namespace ReportJob.Snapshots;

/// <summary>The I/O seam: reads one server's whole TCP connection table (unfiltered; the collector filters).</summary>
public interface ISnapshotSource
{
    /// <summary>The <see cref="ServerOptions.Source"/> this source serves.</summary>
    SnapshotSourceKind Kind { get; }

    /// <summary>Reads the table. Throws <see cref="SnapshotSourceException"/> with a message for the report when the server cannot be read.</summary>
    Task<TcpTable> ReadAsync(ServerOptions server, CancellationToken cancellationToken);
}
