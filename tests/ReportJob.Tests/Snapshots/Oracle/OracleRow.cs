namespace ReportJob.Tests.Snapshots.Oracle;

/// <summary>
/// One stored connection as <see cref="PerRoundConnectionAggregator"/> (the test oracle) takes it: the client address and the state as the
/// indexes that aggregator gave out for their text, times as UTC ticks.
/// </summary>
internal readonly record struct OracleRow(int Client, int State, int RemotePort, long CreatedAtTicks, long FirstSeenTicks)
{
    /// <summary>The <see cref="CreatedAtTicks"/> of a connection whose source gave no creation time (Linux).</summary>
    public const long NoCreationTime = long.MinValue;

    public bool HasCreationTime => CreatedAtTicks != NoCreationTime;
}
