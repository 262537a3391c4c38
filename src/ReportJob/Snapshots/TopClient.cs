namespace ReportJob.Snapshots;

/// <summary>
/// A client (remote address) by connections. For one round, <see cref="Connections"/> is its connections then; over
/// a day, the most it held in one round, and <see cref="Average"/> its mean over all the day's rounds.
/// </summary>
public sealed record TopClient(string RemoteAddress, int Connections, double Average, int Servers, DateTime FirstSeenUtc, DateTime LastSeenUtc, string Site);
