namespace ReportJob.Scheduling;

/// <summary>Collection health of one server, from the <c>snapshot</c> table. Times are UTC.</summary>
public sealed record ServerHealth(string Server, DateTime? LastOk, DateTime? LastFailure, string? LastError, DateTime? LastAttempt);
