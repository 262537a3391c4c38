using Hangfire;
using Hangfire.Storage.Monitoring;

namespace ReportJob.Tests.Scheduling;

/// <summary>One job as Hangfire's storage holds it: its ReportJob name, parameters and state history (oldest first).</summary>
internal sealed record HangfireJob(string Id, string Name, object?[] Args, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<StateHistoryDto> History)
{
    public string State => History[^1].StateName;

    /// <summary>The occurrence a recurring job created it for (Hangfire's <c>Time</c> parameter).</summary>
    public DateTimeOffset? Time => Parameters.TryGetValue("Time", out var t) && long.TryParse(t, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    public string? RecurringJobId => Parameters.TryGetValue("RecurringJobId", out var r) ? r.Trim('"') : null;

    /// <summary>The job servers that took it, in order (more than one when a server died mid-job).</summary>
    public IReadOnlyList<string> Servers => History.Where(h => h.StateName == "Processing").Select(h => h.Data["ServerId"]).ToList();

    /// <summary>Every job the monitoring API lists in a state a test looks at.</summary>
    public static IReadOnlyList<HangfireJob> ReadAll(JobStorage storage)
    {
        var api = storage.GetMonitoringApi();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        ids.UnionWith(api.SucceededJobs(0, 10_000).Select(j => j.Key));
        ids.UnionWith(api.FailedJobs(0, 10_000).Select(j => j.Key));
        ids.UnionWith(api.ProcessingJobs(0, 10_000).Select(j => j.Key));
        ids.UnionWith(api.ScheduledJobs(0, 10_000).Select(j => j.Key));
        ids.UnionWith(api.EnqueuedJobs("default", 0, 10_000).Select(j => j.Key));
        return ids.Select(id => Read(storage, id)).OfType<HangfireJob>().OrderBy(j => long.Parse(j.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    public static HangfireJob? Read(JobStorage storage, string id)
    {
        var details = storage.GetMonitoringApi().JobDetails(id);
        if (details?.Job is null)
        {
            return null;
        }

        // The monitoring API lists the newest state first.
        var history = Enumerable.Reverse(details.History).ToList();
        return new HangfireJob(id, (string)details.Job.Args[0], [.. details.Job.Args], new Dictionary<string, string>(details.Properties), history);
    }
}
