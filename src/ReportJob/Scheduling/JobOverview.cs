using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace ReportJob.Scheduling;

/// <summary>
/// The configured jobs beside the recurring jobs Hangfire keeps under their names (next run, last run and its state). A
/// job that ran as a continuation (mail-report after daily-report) is not a trigger of its own recurring job: its last
/// run is found among the continuations of the other jobs' last runs.
/// </summary>
internal sealed class JobOverview(JobStorage storage, IOptions<SchedulingOptions> options)
{
    /// <summary>Hangfire's storage API is synchronous: this runs on the caller's thread.</summary>
    public IReadOnlyList<JobStatus> Read()
    {
        using var connection = storage.GetConnection();
        var recurring = connection.GetRecurringJobs().ToDictionary(r => r.Id, StringComparer.Ordinal);
        var continued = LastContinuations(connection, recurring.Values);
        return options.Value.Jobs.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j =>
        {
            var r = j.Value.Enabled ? recurring.GetValueOrDefault(j.Key) : null;
            var (lastRun, lastId, lastState) = (r?.LastExecution, r?.LastJobId, r?.LastJobState);
            if (r is not null && continued.TryGetValue(j.Key, out var c) && (lastRun is null || c.CreatedAt > lastRun))
            {
                (lastRun, lastId, lastState) = (c.CreatedAt, c.Id, c.State);
            }

            return new JobStatus(j.Key, j.Value.Enabled, j.Value.Cron, r is not null, r?.NextExecution, lastRun, lastId, lastState, r?.Error);
        }).ToList();
    }

    /// <summary>The newest continuation per job name among the continuations of each recurring job's last run.</summary>
    private static Dictionary<string, (string Id, DateTime CreatedAt, string? State)> LastContinuations(IStorageConnection connection, IEnumerable<RecurringJobDto> recurring)
    {
        var result = new Dictionary<string, (string, DateTime, string?)>(StringComparer.Ordinal);
        foreach (var parent in recurring.Where(r => r.LastJobId is not null))
        {
            // Hangfire's ContinuationsSupport keeps them as a job parameter: [{"JobId":"18","Options":1}].
            if (connection.GetJobParameter(parent.LastJobId, "Continuations") is not { Length: > 0 } json)
            {
                continue;
            }

            foreach (var child in JsonSerializer.Deserialize<List<Continuation>>(json) ?? [])
            {
                if (child.JobId is not null && connection.GetJobData(child.JobId) is { Job.Args: [string name, ..] } data
                    && (!result.TryGetValue(name, out var known) || data.CreatedAt > known.Item2))
                {
                    result[name] = (child.JobId, data.CreatedAt, data.State);
                }
            }
        }

        return result;
    }

    private sealed record Continuation(string? JobId);
}
