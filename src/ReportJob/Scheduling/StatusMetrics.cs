using Hangfire;
using Microsoft.Extensions.Options;
using Prometheus;
using ReportJob.Reports;
using ReportJob.Snapshots;

namespace ReportJob.Scheduling;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format. The collection and report figures are read from the database and the
/// report folder at each scrape (so every job server answers alike); job outcomes are counted by the job server that
/// applied them. A registry of its own per host: prometheus-net's default registry is a process-wide static.
/// </summary>
internal sealed class StatusMetrics
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly ConnectionQueries _queries;
    private readonly JobStorage _storage;
    private readonly IOptions<ReportOptions> _reports;
    private readonly ReportMailComposer _composer;
    private readonly TimeProvider _time;
    private readonly Gauge _connections;
    private readonly Gauge _deviation;
    private readonly Gauge _failures;
    private readonly Gauge _snapshotAge;
    private readonly Gauge _reportAge;
    private readonly Gauge _jobs;
    private readonly Counter _outcomes;

    public StatusMetrics(ConnectionQueries queries, JobStorage storage, IOptions<ReportOptions> reports, ReportMailComposer composer, TimeProvider time)
    {
        _queries = queries;
        _storage = storage;
        _reports = reports;
        _composer = composer;
        _time = time;
        var f = Metrics.WithCustomRegistry(_registry);
        _connections = f.CreateGauge("reportjob_server_connections", "Connections in the server's last good snapshot.", "server");
        _deviation = f.CreateGauge(
            "reportjob_server_load_deviation",
            "The server's connections against an even split over the servers of the last round, as a fraction: 0.25 is 25% above the mean, -0.25 below (as the report's imbalance).",
            "server");
        _failures = f.CreateGauge("reportjob_collection_failures", "Failed collections of the server since its last good snapshot (0: the last one succeeded).", "server");
        _snapshotAge = f.CreateGauge("reportjob_last_snapshot_age_seconds", "Seconds since the server's last good snapshot.", "server");
        _reportAge = f.CreateGauge("reportjob_last_report_age_seconds", "Seconds since the newest report in Reports:OutputPath was written.");
        _jobs = f.CreateGauge("reportjob_jobs", "Hangfire's job counts over every job server: enqueued, scheduled, processing, succeeded, failed, deleted, retries, recurring, servers.", "state");
        _outcomes = f.CreateCounter("reportjob_job_runs_total", "Job outcomes applied by this job server: succeeded, skipped, retrying, failed, deleted.", "job", "outcome");
        _registry.AddBeforeCollectCallback(RefreshAsync);
    }

    /// <summary>Counts one outcome of a job (<see cref="JobOutcomeFilter"/>).</summary>
    public void CountOutcome(string job, string outcome) => _outcomes.WithLabels(job, outcome).Inc();

    public Task ExportAsync(Stream stream, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(stream, cancellationToken);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var servers = await _queries.CollectionHealthAsync(cancellationToken);
        foreach (var s in servers)
        {
            _failures.WithLabels(s.Server).Set(s.FailuresSinceOk);
            if (s.LastOk is { } ok)
            {
                _connections.WithLabels(s.Server).Set(s.LastOkConnections ?? 0);
                _snapshotAge.WithLabels(s.Server).Set((now - ok).TotalSeconds);
            }
        }

        // The last round: the servers whose last good snapshot belongs to the newest one's round.
        var good = servers.Where(s => s.LastOk is not null).ToList();
        if (good.Count > 0)
        {
            var newest = good.Max(s => s.LastOk!.Value);
            var round = good.Where(s => newest - s.LastOk!.Value < ConnectionRound.Window).ToList();
            var mean = round.Average(s => (double)(s.LastOkConnections ?? 0));
            foreach (var s in good)
            {
                if (round.Contains(s) && mean > 0)
                {
                    _deviation.WithLabels(s.Server).Set(((s.LastOkConnections ?? 0) - mean) / mean);
                }
                else
                {
                    _deviation.WithLabels(s.Server).Unpublish();
                }
            }
        }

        if (LastReport.Read(_reports, _composer) is { } report)
        {
            _reportAge.Set((now - report.WrittenUtc).TotalSeconds);
        }

        var stats = _storage.GetMonitoringApi().GetStatistics();
        _jobs.WithLabels("enqueued").Set(stats.Enqueued);
        _jobs.WithLabels("scheduled").Set(stats.Scheduled);
        _jobs.WithLabels("processing").Set(stats.Processing);
        _jobs.WithLabels("succeeded").Set(stats.Succeeded);
        _jobs.WithLabels("failed").Set(stats.Failed);
        _jobs.WithLabels("deleted").Set(stats.Deleted);
        _jobs.WithLabels("retries").Set(stats.Retries ?? 0);
        _jobs.WithLabels("recurring").Set(stats.Recurring);
        _jobs.WithLabels("servers").Set(stats.Servers);
    }
}
