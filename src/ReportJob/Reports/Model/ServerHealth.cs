namespace ReportJob.Reports.Model;

/// <summary>Snapshots expected, taken and failed for one server, with the last error.</summary>
public sealed record ServerHealth(string Server, int Expected, int Taken, int Failed, string? LastError, DateTime? LastErrorAtLocal);
