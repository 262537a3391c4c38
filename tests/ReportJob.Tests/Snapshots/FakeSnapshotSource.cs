using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

/// <summary>A source of the given kind whose answer per server the test decides.</summary>
internal sealed class FakeSnapshotSource(SnapshotSourceKind kind, Func<ServerOptions, CancellationToken, Task<TcpTable>> read) : ISnapshotSource
{
    private int _running;

    public SnapshotSourceKind Kind => kind;

    /// <summary>The most reads that ran at the same time.</summary>
    public int MaxConcurrent { get; private set; }

    public int Calls { get; private set; }

    public async Task<TcpTable> ReadAsync(ServerOptions server, CancellationToken cancellationToken)
    {
        lock (this)
        {
            Calls++;
            MaxConcurrent = Math.Max(MaxConcurrent, ++_running);
        }

        try
        {
            return await read(server, cancellationToken);
        }
        finally
        {
            lock (this)
            {
                _running--;
            }
        }
    }

    public static TcpTable Table(params TcpConnection[] rows) => new(rows, new TcpTableParseReport());
}
