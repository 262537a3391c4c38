using System.Globalization;

namespace ReportJob.Scheduling;

/// <summary>What a successful run did: a summary line and counts (the job's result in the dashboard), and optionally a link and a follow-up job.</summary>
public sealed record WorkResult(string Summary)
{
    /// <summary>Named counts (rows, files, servers…), shown after the summary.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>Where the artefact is (a report's URL or path), part of the job's result.</summary>
    public string? Link { get; init; }

    /// <summary>A job to run as a continuation of this one once it has succeeded (e.g. <c>mail-report</c> after <c>daily-report</c>); it gets this run's scheduled time.</summary>
    public string? ContinueWith { get; init; }

    /// <summary>The job's result as Hangfire keeps and the dashboard shows it: the summary, the counts and the link.</summary>
    public string Describe()
    {
        var text = Counts.Count == 0
            ? Summary
            : Summary + " (" + string.Join(", ", Counts.Select(c => c.Key + " " + c.Value.ToString(CultureInfo.InvariantCulture))) + ")";
        return Link is null ? text : text + ": " + Link;
    }
}
