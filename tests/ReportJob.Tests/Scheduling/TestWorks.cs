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

/// <summary>Fails the first <c>failures</c> runs, then succeeds.</summary>
internal sealed class FlakyWork(string name, int failures, WorkProbe probe) : IScheduledWork
{
    private int _calls;

    public string JobName => name;

    public Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue((name, scheduledFireTimeUtc, ""));
        if (Interlocked.Increment(ref _calls) <= failures)
        {
            throw new InvalidOperationException($"injected failure {_calls}");
        }

        return Task.FromResult(new WorkResult("recovered after injected failures"));
    }
}

/// <summary>A report that names a follow-up job, like daily-report → mail-report.</summary>
internal sealed class ContinuingWork(string name, string next, WorkProbe probe) : IScheduledWork
{
    public string JobName => name;

    public Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue((name, scheduledFireTimeUtc, ""));
        return Task.FromResult(new WorkResult("rendered") { ContinueWith = next, Link = "file:///reports/report.html" });
    }
}

/// <summary>Runs for <c>duration</c> (or until cancelled), recording which host ran it.</summary>
internal sealed class SlowWork(string name, TimeSpan duration, WorkProbe probe, string host) : IScheduledWork
{
    public string JobName => name;

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue((name, scheduledFireTimeUtc, host + ":start"));
        await Task.Delay(duration, cancellationToken);
        probe.Runs.Enqueue((name, scheduledFireTimeUtc, host + ":end"));
        return new WorkResult("slow work done on " + host);
    }
}
