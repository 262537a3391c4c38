namespace ReportJob.IisLogs;

/// <summary>A name (protocol, user agent, user) and the requests that carried it.</summary>
public sealed record IisCount(string Name, long Requests);
