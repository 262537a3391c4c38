using System.Globalization;

namespace ReportJob.Scheduling;

/// <summary>What a successful run did: a summary line and counts for the history, and optionally a link and a follow-up job.</summary>
public sealed record WorkResult(string Summary)
{
    /// <summary>Named counts (rows, files, servers…), shown after the summary.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>Where the artefact is (a report's URL or path), shown as a link on the status page.</summary>
    public string? Link { get; init; }

    /// <summary>A job to trigger now as a continuation of this one (e.g. <c>mail-report</c> after <c>daily-report</c>); it gets this run's scheduled time.</summary>
    public string? ContinueWith { get; init; }

    /// <summary>The text kept in <c>job_run.summary</c>.</summary>
    public string Describe() => Counts.Count == 0
        ? Summary
        : Summary + " (" + string.Join(", ", Counts.Select(c => c.Key + " " + c.Value.ToString(CultureInfo.InvariantCulture))) + ")";
}
