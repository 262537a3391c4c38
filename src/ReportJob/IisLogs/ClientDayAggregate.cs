namespace ReportJob.IisLogs;

/// <summary>The counts of one client on one day, while a file is read. Bounded: top user agents and users are capped.</summary>
internal sealed class ClientDayAggregate(DateOnly day, int clientId)
{
    public DateOnly Day { get; } = day;

    public int ClientId { get; } = clientId;

    public long Requests;
    public long Status401;
    public long Status403;
    public long Status5xx;
    public long BytesSent = -1;
    public long BytesReceived = -1;
    public long AgentsOther;
    public readonly long[] Protocols = new long[IisProtocolClassifier.Count];

    /// <summary>User agent id → requests; at most the tracked limit, further agents go to <see cref="AgentsOther"/>.</summary>
    public readonly Dictionary<int, long> Agents = [];

    /// <summary>User id → requests; at most the configured cap.</summary>
    public Dictionary<int, long>? Users;

    /// <summary>Distinct users beyond the cap (ids only, for the count).</summary>
    public HashSet<int>? UsersOverflow;
}
