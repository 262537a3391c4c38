namespace ReportJob.Snapshots;

/// <summary>
/// A run as <see cref="ConnectionDayAggregator"/> takes it: its server's stream (a server as stored), the first and last
/// of the stream's snapshots it covers (<see cref="ConnectionDayAggregator.Covers"/>), and the client, state and local
/// address as indexes the aggregator gave out for their text; times as UTC ticks, <see cref="NoCreationTime"/> when the
/// source gave none (the first-seen time then counts).
/// </summary>
public readonly record struct DayRun(int Stream, int First, int Last, int Client, int State, int RemotePort, int Local, int LocalPort, long CreatedAtTicks, long FirstSeenTicks)
{
    public const long NoCreationTime = long.MinValue;

    public bool HasCreationTime => CreatedAtTicks != NoCreationTime;
}
