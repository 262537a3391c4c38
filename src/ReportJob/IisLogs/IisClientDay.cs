namespace ReportJob.IisLogs;

/// <summary>
/// What the IIS logs say about one client address on one UTC day. <see cref="UserAgents"/> are the top ones, the
/// requests of the others in <see cref="OtherUserAgentRequests"/>. <see cref="DistinctUsers"/> is exact up to
/// <c>IisLogs:MaxUsersPerClient</c> per file, an upper bound beyond it. Bytes are null when no log had the field.
/// </summary>
public sealed record IisClientDay(
    DateOnly Day,
    string Client,
    string Site,
    long Requests,
    IReadOnlyList<IisCount> Protocols,
    IReadOnlyList<IisCount> UserAgents,
    long OtherUserAgentRequests,
    IReadOnlyList<IisCount> Users,
    long DistinctUsers,
    long Status401,
    long Status403,
    long Status5xx,
    long? BytesSent,
    long? BytesReceived);
