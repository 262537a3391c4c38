namespace ReportJob.Scheduling;

/// <summary>What a catch-up job does about firings missed while no job server ran.</summary>
public enum CatchUpMode
{
    /// <summary>Run once, now, however many firings were missed (yesterday's report, not one per missed day).</summary>
    Once,

    /// <summary>Run once for every missed firing, each with its own scheduled time.</summary>
    All,
}
