namespace ReportJob.Snapshots;

/// <summary>
/// Collection health of one server, from the <c>snapshot</c> table: its last attempt, its last good snapshot and that
/// snapshot's connections, the failures since then, and the last failure with its error. Times are UTC.
/// </summary>
public sealed record CollectionHealth(
    string Server,
    DateTime? LastAttempt,
    DateTime? LastOk,
    long? LastOkConnections,
    long FailuresSinceOk,
    DateTime? LastFailure,
    string? LastError);
