using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// Imports CSV files of connections: one transaction per file holding its snapshots and its ledger entry, so a file
/// is counted once or not at all. Imported and skipped files move to <c>done/</c>, files with bad content to
/// <c>failed/</c> with a <c>.reason</c> file; a file the store could not take stays where it is for the next run.
/// </summary>
internal sealed class CsvSnapshotImporter(
    IDbConnectionFactory factory,
    SnapshotStore store,
    IOptions<SnapshotsOptions> options,
    TimeProvider time,
    ILogger<CsvSnapshotImporter> logger)
{
    public const string LedgerKind = "snapshot-csv";
    public const string DoneFolder = "done";
    public const string FailedFolder = "failed";

    /// <summary>Imports files and the *.csv files directly inside folders, in name order; <paramref name="targetOf"/> says whose each file is.</summary>
    public async Task<CsvImportSummary> ImportAsync(IEnumerable<string> paths, Func<string, CsvImportTarget> targetOf, bool move, IProgress<CsvImportProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var files = new List<string>();
        var results = new List<CsvImportResult>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(ListCsvFiles(path));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                results.Add(Fail(path, $"{path}: no such file or folder", null));
            }
        }

        for (var i = 0; i < files.Count; i++)
        {
            results.Add(await ImportFileAsync(files[i], targetOf(files[i]), move, progress, i + 1, files.Count, cancellationToken));
        }

        var summary = new CsvImportSummary(results, watch.Elapsed);
        LogSummary(summary);
        return summary;
    }

    public Task<CsvImportResult> ImportFileAsync(string path, CsvImportTarget target, bool move, CancellationToken cancellationToken) =>
        ImportFileAsync(path, target, move, null, 1, 1, cancellationToken);

    public async Task<CsvImportResult> ImportFileAsync(string path, CsvImportTarget target, bool move, IProgress<CsvImportProgress>? progress, int fileNumber, int fileCount, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        string hash;
        try
        {
            hash = await IngestLedger.HashFileAsync(path, cancellationToken);
            var seen = await FindInLedgerAsync(hash, cancellationToken);
            if (seen is not null)
            {
                Log.CsvSkipped(logger, name, seen.IngestedAt, seen.FileName);
                return new CsvImportResult(path, CsvImportStatus.Skipped, 0, 0, 0, null, move ? MoveTo(path, DoneFolder) : null);
            }
        }
        catch (IOException ex)
        {
            return Fail(path, $"{name}: cannot read: {ex.Message}", null);
        }

        CsvSnapshotFile file;
        try
        {
            var settings = CsvReadSettings.From(options.Value, target);
            file = CsvSnapshotReader.Read(path, settings, rows => progress?.Report(new CsvImportProgress(name, fileNumber, fileCount, rows)), cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            // The content is bad: set the file aside so that the drop folder does not retry it forever.
            return Fail(path, ex.Message, move ? FailedFolder : null);
        }
        catch (IOException ex)
        {
            return Fail(path, $"{name}: cannot read: {ex.Message}", null);
        }

        int stored = 0, duplicates = 0;
        long rows = 0;
        try
        {
            await using var connection = await factory.OpenAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var seen = await IngestLedger.FindAsync(connection, tx, hash, cancellationToken);
            if (seen is not null)
            {
                // Imported by a concurrent run between the first look and this transaction.
                Log.CsvSkipped(logger, name, seen.IngestedAt, seen.FileName);
                return new CsvImportResult(path, CsvImportStatus.Skipped, 0, 0, 0, null, move ? MoveTo(path, DoneFolder) : null);
            }

            foreach (var snapshot in file.Snapshots)
            {
                // The same run exported twice into different files (or re-exported with more rows) must not count twice.
                if (await store.ExistsAsync(connection, tx, snapshot.Server, snapshot.TakenAtUtc, cancellationToken))
                {
                    duplicates++;
                    Log.CsvDuplicateSnapshot(logger, name, snapshot.Server, snapshot.TakenAtUtc);
                    continue;
                }

                await store.SaveAsync(connection, tx, snapshot, cancellationToken);
                stored++;
                rows += snapshot.Connections.Count;
            }

            await IngestLedger.RecordAsync(connection, tx, new LedgerEntry(hash, LedgerKind, name, new FileInfo(path).Length, rows, time.GetUtcNow().UtcDateTime), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException)
        {
            // Not the file's fault: it stays in place and the next run tries again; the transaction rolled back.
            return Fail(path, $"{name}: not stored: {ex.Message}", null);
        }

        Log.CsvImported(logger, name, stored, rows, file.DateFormat is null ? "no rows" : file.DateFormat.Name + (file.CreationFormat is null ? "" : "; CreationTime " + file.CreationFormat.Name), target.TimeZone.Id);
        return new CsvImportResult(path, CsvImportStatus.Imported, stored, rows, duplicates, null, move ? MoveTo(path, DoneFolder) : null);
    }

    public void LogSummary(CsvImportSummary summary) =>
        Log.CsvSummary(logger, summary.Files.Count, summary.Imported, summary.Skipped, summary.Failed, summary.Snapshots, summary.Rows, summary.Elapsed.TotalSeconds, summary.RowsPerSecond);

    internal static IEnumerable<string> ListCsvFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.csv", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive, RecurseSubdirectories = false })
            .Order(StringComparer.Ordinal);

    private CsvImportResult Fail(string path, string error, string? folder)
    {
        Log.CsvFailed(logger, Path.GetFileName(path), error);
        string? moved = null;
        if (folder is not null)
        {
            moved = MoveTo(path, folder);
            File.WriteAllText(moved + ".reason", error + Environment.NewLine);
        }

        return new CsvImportResult(path, CsvImportStatus.Failed, 0, 0, 0, error, moved);
    }

    private async Task<LedgerEntry?> FindInLedgerAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await IngestLedger.FindAsync(connection, null, hash, cancellationToken);
    }

    /// <summary>Moves the file into a sibling folder, never overwriting: a second <c>x.csv</c> becomes <c>x.1.csv</c>.</summary>
    private static string MoveTo(string path, string folder)
    {
        var dir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, folder);
        Directory.CreateDirectory(dir);
        var stem = Path.GetFileNameWithoutExtension(path);
        var ext = Path.GetExtension(path);
        var target = Path.Combine(dir, stem + ext);
        for (var i = 1; File.Exists(target) || File.Exists(target + ".reason"); i++)
        {
            target = Path.Combine(dir, $"{stem}.{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}{ext}");
        }

        File.Move(path, target);
        return target;
    }
}
