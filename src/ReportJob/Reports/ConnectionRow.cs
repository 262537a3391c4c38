namespace ReportJob.Reports;

/// <summary>One stored connection as the report reads it.</summary>
public readonly record struct ConnectionRow(string RemoteAddress, int RemotePort, string State, DateTime? CreatedAtUtc, DateTime FirstSeenUtc);
