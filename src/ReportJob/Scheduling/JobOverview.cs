using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace ReportJob.Scheduling;

/// <summary>
/// The configured jobs beside the recurring jobs Hangfire keeps under their names (next run, last run and its state). A
/// job that ran as a continuation (mail-report after daily-report) is no trigger of its own recurring job: its last run
/// is the one <see cref="ScheduledJob"/> noted when it created it.
/// </summary>
internal sealed class JobOverview(JobStorage storage, IOptions<SchedulingOptions> options)
{
    /// <summary>Hangfire's storage API is synchronous: this runs on the caller's thread.</summary>
    public IReadOnlyList<JobStatus> Read()
    {
        using var connection = storage.GetConnection();
        var recurring = connection.GetRecurringJobs().ToDictionary(r => r.Id, StringComparer.Ordinal);
        var continued = connection.GetAllEntriesFromHash(ScheduledJob.LastContinuationHash) ?? new Dictionary<string, string>();
        return options.Value.Jobs.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j =>
        {
            var r = j.Value.Enabled ? recurring.GetValueOrDefault(j.Key) : null;
            var (lastRun, lastId, lastState) = (r?.LastExecution, r?.LastJobId, r?.LastJobState);
            // Succeeded jobs expire after a day: a continuation no longer in the storage is left out.
            if (r is not null && continued.TryGetValue(j.Key, out var id) && connection.GetJobData(id) is { } c && (lastRun is null || c.CreatedAt > lastRun))
            {
                (lastRun, lastId, lastState) = (c.CreatedAt, id, c.State);
            }

            return new JobStatus(j.Key, j.Value.Enabled, j.Value.Cron, r is not null, r?.NextExecution, lastRun, lastId, lastState, r?.Error);
        }).ToList();
    }
}
