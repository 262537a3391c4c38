namespace ReportJob.Snapshots;

/// <summary>
/// A run as <see cref="ConnectionDayAggregator"/> takes it: its server's stream (a server as stored), the keys of its
/// first and last snapshot, and the client, state and local address as indexes the aggregator gave out for their text;
/// times as UTC ticks, <see cref="NoCreationTime"/> when the source gave none. The aggregator finds which of the day's
/// snapshots the run covers.
/// </summary>
public readonly record struct DayRun(int Stream, long FirstKey, long LastKey, int Client, int State, int RemotePort, int Local, int LocalPort, long CreatedAtTicks, long FirstSeenTicks)
{
    public const long NoCreationTime = long.MinValue;

    public bool HasCreationTime => CreatedAtTicks != NoCreationTime;
}
