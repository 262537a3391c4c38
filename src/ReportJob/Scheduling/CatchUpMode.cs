namespace ReportJob.Scheduling;

/// <summary>What a catch-up job does about occurrences missed while no job server ran.</summary>
public enum CatchUpMode
{
    /// <summary>Run once, when a job server starts, however many occurrences were missed (yesterday's report, not one per missed day).</summary>
    Once,

    /// <summary>Run once for every missed occurrence, each with its own scheduled time.</summary>
    All,
}
