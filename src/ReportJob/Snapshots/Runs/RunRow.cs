namespace ReportJob.Snapshots;

/// <summary>One connection of a snapshot as <see cref="RunBuilder"/> takes it: what it is, its state, its creation time (ticks).</summary>
internal readonly record struct RunRow(ConnectionKey Key, TcpState State, long? CreatedTicks)
{
    public static RunRow Of(in TcpConnection c) => new(ConnectionKey.Of(c), c.State, c.CreatedAtUtc?.Ticks);
}
