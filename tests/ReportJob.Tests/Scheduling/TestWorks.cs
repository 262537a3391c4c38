using System.Collections.Concurrent;
using ReportJob.Scheduling;

namespace ReportJob.Tests.Scheduling;

/// <summary>What the test works saw, shared between a test and the hosts it starts.</summary>
internal sealed class WorkProbe
{
    public ConcurrentQueue<(string Job, DateTimeOffset Scheduled, string Host)> Runs { get; } = new();

    public int Count(string job) => Runs.Count(r => r.Job == job);
}

/// <summary>Succeeds every time.</summary>
internal sealed class CountingWork(string name, WorkProbe probe, string host = "") : IScheduledWork
{
    public string JobName => name;

    public Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue((name, scheduledFireTimeUtc, host));
        return Task.FromResult(new WorkResult("counted") { Counts = new Dictionary<string, long> { ["runs"] = probe.Count(name) } });
    }
}

/// <summary>Fails the first <c>failures</c> runs of each occurrence (scheduled time), then succeeds.</summary>
internal sealed class FlakyWork(string name, int failures, WorkProbe probe) : IScheduledWork
{
    private readonly ConcurrentDictionary<DateTimeOffset, int> _calls = new();

    public string JobName => name;

    public Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue((name, scheduledFireTimeUtc, ""));
        var call = _calls.AddOrUpdate(scheduledFireTimeUtc, 1, (_, n) => n + 1);
        if (call <= failures)
        {
            throw new InvalidOperationException($"injected failure {call}");
        }

        return Task.FromResult(new WorkResult("recovered after injected failures"));
    }
}
