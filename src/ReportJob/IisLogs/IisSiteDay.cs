namespace ReportJob.IisLogs;

/// <summary>The clients of one site (subnet → site map) on one UTC day, added up.</summary>
public sealed record IisSiteDay(
    DateOnly Day,
    string Site,
    long Clients,
    long Requests,
    IReadOnlyList<IisCount> Protocols,
    long DistinctUsers,
    long Status401,
    long Status403,
    long Status5xx);
