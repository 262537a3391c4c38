using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.IisLogs;

/// <summary>
/// The IIS drop folder: imports each <c>*.log</c> / <c>*.log.gz</c> (oldest first, so a log's copies arrive in order),
/// moves it to <c>done/</c>, or to <c>failed/</c> with a <c>.reason</c> file when it cannot be read. Files modified
/// within <see cref="IisLogsOptions.InboxSettleTime"/> wait for the next pass.
/// </summary>
internal sealed class IisLogInbox(IisLogImporter importer, IOptions<IisLogsOptions> options, TimeProvider time, ILogger<IisLogInbox> logger)
{
    public static bool IsLogFile(string path) =>
        path.EndsWith(".log", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".log.gz", StringComparison.OrdinalIgnoreCase);

    public async Task<IisInboxResult> ProcessAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var inbox = Path.GetFullPath(options.Value.InboxPath);
        Directory.CreateDirectory(inbox);
        var now = time.GetUtcNow().UtcDateTime;
        var files = new DirectoryInfo(inbox).EnumerateFiles()
            .Where(f => IsLogFile(f.Name))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var results = new List<IisImportResult>();
        var failed = new List<IisBadLine>();
        var waiting = 0;
        foreach (var file in files)
        {
            if (now - file.LastWriteTimeUtc < options.Value.InboxSettleTime)
            {
                waiting++;
                continue;
            }

            try
            {
                results.Add(await importer.ImportAsync(file.FullName, cancellationToken));
                MoveTo(file.FullName, Path.Combine(inbox, "done"));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                // A bad file is moved aside with its reason; the store kept nothing of it (the transaction rolled back).
                var target = MoveTo(file.FullName, Path.Combine(inbox, "failed"));
                await File.WriteAllTextAsync(target + ".reason", ex.Message + Environment.NewLine, cancellationToken);
                failed.Add(new IisBadLine(file.FullName, 0, ex.Message));
                Log.InboxFileFailed(logger, file.FullName, target, ex.Message);
            }
        }

        Log.InboxDone(
            logger, inbox,
            results.Count(r => r.Status == IisImportStatus.Imported),
            results.Count(r => r.Status != IisImportStatus.Imported),
            failed.Count, waiting, results.Sum(r => r.Records), watch.Elapsed.TotalSeconds);
        return new IisInboxResult(results, failed, waiting);
    }

    /// <summary>Moves the file into the folder, adding <c>.1</c>, <c>.2</c>… before the extension when the name is taken (logs of several servers share names).</summary>
    private static string MoveTo(string path, string folder)
    {
        Directory.CreateDirectory(folder);
        var name = Path.GetFileName(path);
        var target = Path.Combine(folder, name);
        for (var n = 1; File.Exists(target); n++)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var stem = dot < 0 ? name : name[..dot];
            var extension = dot < 0 ? "" : name[dot..];
            target = Path.Combine(folder, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stem}.{n}{extension}"));
        }

        File.Move(path, target);
        return target;
    }
}
