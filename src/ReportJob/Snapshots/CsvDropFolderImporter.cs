using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Snapshots;

/// <summary>
/// Imports the drop folders of the <c>Csv</c> servers in <c>Snapshots:Servers</c> (the scheduler's ingest job and
/// <c>reportjob import</c> without paths call it). Files younger than <see cref="SettleTime"/> are left for the next
/// run: the PowerShell script may still be writing them.
/// </summary>
internal sealed class CsvDropFolderImporter(CsvSnapshotImporter importer, IOptions<SnapshotsOptions> options, TimeProvider time, ILogger<CsvDropFolderImporter> logger)
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    public async Task<CsvImportSummary> ImportAsync(IProgress<CsvImportProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var results = new List<CsvImportResult>();
        var work = new List<(string File, CsvImportTarget Target)>();
        foreach (var server in o.Servers.Where(s => s.Enabled && s.Source == SnapshotSourceKind.Csv && s.DropFolder is not null))
        {
            var folder = server.DropFolder!;
            if (!Directory.Exists(folder))
            {
                Log.CsvDropFolderMissing(logger, folder, server.Name);
                results.Add(new CsvImportResult(folder, CsvImportStatus.Failed, 0, 0, 0, $"{folder}: drop folder of server {server.Name} does not exist", null));
                continue;
            }

            var target = new CsvImportTarget(server.Name, o.CsvTimeZoneOf(server), server.SplitByLocalAddress);
            work.AddRange(CsvSnapshotImporter.ListCsvFiles(folder)
                .Where(f => now - File.GetLastWriteTimeUtc(f) >= SettleTime)
                .Select(f => (f, target)));
        }

        for (var i = 0; i < work.Count; i++)
        {
            results.Add(await importer.ImportFileAsync(work[i].File, work[i].Target, move: true, progress, i + 1, work.Count, cancellationToken));
        }

        var summary = new CsvImportSummary(results, watch.Elapsed);
        importer.LogSummary(summary);
        return summary;
    }
}
