using Microsoft.Extensions.Logging;

namespace ReportJob.NetFlow;

internal sealed partial class FlowIngestor
{
    /// <summary>
    /// Every capture in the inbox (by name, so rotated files go in order; <c>.partial</c> files are being written and
    /// wait): ingested or already-ingested files move to <c>done/</c>, failed ones to <c>failed/</c> beside a
    /// <c>.reason.txt</c>.
    /// </summary>
    public Task<IReadOnlyList<IngestOutcome>> IngestInboxAsync(CancellationToken cancellationToken) => IngestInboxAsync(null, cancellationToken);

    /// <summary>The same, reporting each file's progress (on the decoding thread, a few times a second).</summary>
    public async Task<IReadOnlyList<IngestOutcome>> IngestInboxAsync(IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var inbox = Path.GetFullPath(options.Value.InboxPath);
        Directory.CreateDirectory(inbox);
        var files = Directory.EnumerateFiles(inbox)
            .Where(f => !f.EndsWith(".partial", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var settings = new IngestSettings(options.Value);
        var resolver = new SiteResolver(await sites.LoadAsync(cancellationToken));
        var outcomes = new List<IngestOutcome>();
        foreach (var (file, number) in files.Select((f, i) => (f, i + 1)))
        {
            var outcome = await IngestFileAsync(file, settings, resolver, new FileProgress(progress, number, files.Count), cancellationToken);
            outcomes.Add(outcome);
            if (outcome.Status == IngestStatus.Failed)
            {
                var moved = MoveTo(file, Path.Combine(inbox, "failed"));
                await File.WriteAllTextAsync(moved + ".reason.txt",
                    $"{time.GetUtcNow().UtcDateTime:u} {outcome.Error}{Environment.NewLine}", cancellationToken);
            }
            else
            {
                MoveTo(file, Path.Combine(inbox, "done"));
            }
        }

        Log.InboxDone(logger, inbox, outcomes.Count(o => o.Status == IngestStatus.Ingested),
            outcomes.Count(o => o.Status == IngestStatus.AlreadyIngested), outcomes.Count(o => o.Status == IngestStatus.Failed));
        return outcomes;
    }

    private static string MoveTo(string file, string folder)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(file));
        for (var i = 1; File.Exists(target); i++)
        {
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}-{i}{Path.GetExtension(file)}");
        }

        File.Move(file, target);
        return target;
    }
}
