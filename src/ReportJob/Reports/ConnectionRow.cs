namespace ReportJob.Reports;

/// <summary>
/// One stored connection as <see cref="ConnectionDayAggregator"/> takes it: the client address and the state as the
/// indexes that aggregator gave out for their text, times as UTC ticks.
/// </summary>
public readonly record struct ConnectionRow(int Client, int State, int RemotePort, long CreatedAtTicks, long FirstSeenTicks)
{
    /// <summary>The <see cref="CreatedAtTicks"/> of a connection whose source gave no creation time (Linux).</summary>
    public const long NoCreationTime = long.MinValue;

    public bool HasCreationTime => CreatedAtTicks != NoCreationTime;
}
