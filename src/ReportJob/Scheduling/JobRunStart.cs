namespace ReportJob.Scheduling;

/// <summary>What is known when a run starts.</summary>
internal sealed record JobRunStart(
    string Job,
    string Node,
    string FireInstanceId,
    string TriggerKind,
    string? RequestId,
    DateTimeOffset ScheduledAt,
    DateTimeOffset StartedAt,
    int Attempt);
