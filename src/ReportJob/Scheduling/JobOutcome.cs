namespace ReportJob.Scheduling;

/// <summary>The final state of one Hangfire job (Succeeded, Failed, Deleted) and its result or error.</summary>
internal sealed record JobOutcome(string JobId, string State, string? Detail);
