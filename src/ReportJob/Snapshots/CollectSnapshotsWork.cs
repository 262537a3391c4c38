using ReportJob.Scheduling;

namespace ReportJob.Snapshots;

/// <summary>
/// The <c>collect-snapshots</c> job: every enabled Local/Ssh server, then the drop folders of the Csv servers. A server
/// that fails is stored as a failed snapshot (the report shows it) and does not fail the run; the run fails only when
/// nothing at all could be collected, so that the retry policy applies.
/// </summary>
internal sealed class CollectSnapshotsWork(SnapshotCollector collector, CsvDropFolderImporter csv) : IScheduledWork
{
    public string JobName => JobNames.CollectSnapshots;

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        var servers = await collector.CollectAsync([], null, cancellationToken);
        var imported = await csv.ImportAsync(null, cancellationToken);
        var ok = servers.Count(s => s.Status == CollectionStatus.Ok);
        if (servers.Count > 0 && ok == 0 && imported.Imported == 0)
        {
            throw new InvalidOperationException("No server answered: " + string.Join("; ", servers.Select(s => $"{s.Server}: {s.Error}")));
        }

        return new WorkResult($"{ok} of {servers.Count} servers collected, {imported.Imported} CSV file(s) imported")
        {
            Counts = new Dictionary<string, long>
            {
                ["rows"] = servers.Sum(s => (long)s.Rows) + imported.Rows,
                ["failed servers"] = servers.Count - ok,
                ["failed files"] = imported.Failed,
            },
        };
    }
}
