using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace ReportJob.Scheduling;

/// <summary>
/// "Run now" from the command line: triggers a recurring job through the job storage, as the dashboard's "Trigger now"
/// does (any running job server takes it), and waits for its final state.
/// </summary>
internal sealed class JobControl(JobStorage storage, IRecurringJobManagerV2 recurring, TimeProvider time, ILogger<JobControl> logger)
{
    /// <summary>Triggers the job now; returns the id of the Hangfire job it created, or null when no such recurring job is registered.</summary>
    public string? Trigger(string job)
    {
        var id = recurring.TriggerJob(job);
        if (id is not null)
        {
            Log.TriggeredByHand(logger, job, id);
        }

        return id;
    }

    /// <summary>
    /// Waits until the job is Succeeded, Failed (after its retries) or Deleted; null on timeout. A retry in between is
    /// Scheduled, not final.
    /// </summary>
    public async Task<JobOutcome?> WaitAsync(string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            using (var connection = storage.GetConnection())
            {
                var state = connection.GetStateData(jobId);
                if (state is not null && (state.Name == SucceededState.StateName || state.Name == FailedState.StateName || state.Name == DeletedState.StateName))
                {
                    var detail = state.Name == SucceededState.StateName
                        ? Unquoted(state.Data.TryGetValue("Result", out var result) ? result : null)
                        : state.Data.TryGetValue("ExceptionMessage", out var error) ? error : state.Reason;
                    return new JobOutcome(jobId, state.Name, detail);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        return null;
    }

    /// <summary>Hangfire keeps a job's result serialized as JSON: a string comes back quoted.</summary>
    private static string? Unquoted(string? json) =>
        json is { Length: > 1 } && json[0] == '"' ? System.Text.Json.JsonSerializer.Deserialize<string>(json) : json;
}
