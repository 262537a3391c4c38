using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow.Decoding;
using ReportJob.Sites;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

/// <summary>
/// Ingests capture files: decode (templates seeded from the store), aggregate with bounded memory, write everything
/// plus the ledger entry in one transaction per file. A file already in the ledger is a no-op; a file that fails
/// half-way is rolled back and leaves nothing behind; a capture cut short in its last record is ingested up to the cut.
/// The inbox (<c>FlowIngestor.Inbox.cs</c>) and the warm-up of the ingest path (<c>FlowIngestor.WarmUp.cs</c>) are
/// partial files of their own; the writing thread is a <see cref="DrainWriter"/>, the early ledger check an
/// <see cref="EarlyDuplicateCheck"/>.
/// </summary>
internal sealed partial class FlowIngestor(
    IDbConnectionFactory factory,
    FlowStore store,
    SiteStore sites,
    IOptions<NetFlowOptions> options,
    TimeProvider time,
    ILogger<FlowIngestor> logger)
{
    public const string LedgerKind = "netflow";

    /// <summary>Ingests the files in order (templates of one feed the next) and returns one outcome each.</summary>
    public Task<IReadOnlyList<IngestOutcome>> IngestFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken) =>
        IngestFilesAsync(paths, null, cancellationToken);

    /// <summary>The same, reporting each file's progress (on the decoding thread, a few times a second).</summary>
    public async Task<IReadOnlyList<IngestOutcome>> IngestFilesAsync(IEnumerable<string> paths, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var settings = new IngestSettings(options.Value);
        var resolver = new SiteResolver(await sites.LoadAsync(cancellationToken));
        var outcomes = new List<IngestOutcome>();
        var files = paths.ToList();
        for (var i = 0; i < files.Count; i++)
        {
            outcomes.Add(await IngestFileAsync(files[i], settings, resolver, new FileProgress(progress, i + 1, files.Count), cancellationToken));
        }

        return outcomes;
    }

    public async Task<IngestOutcome> IngestFileAsync(string path, CancellationToken cancellationToken) =>
        (await IngestFilesAsync([path], cancellationToken))[0];

    private async Task<IngestOutcome> IngestFileAsync(string path, IngestSettings settings, SiteResolver resolver, FileProgress progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var check = EarlyDuplicateCheck.Start(path, factory, progress, logger, cancellationToken);
        try
        {
            await using var connection = await factory.OpenAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcome = await IngestInTransactionAsync(path, check, settings, resolver, connection, tx, progress, cancellationToken);
                if (outcome.Status == IngestStatus.AlreadyIngested)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    return outcome with { Seconds = watch.Elapsed.TotalSeconds };
                }

                await tx.CommitAsync(cancellationToken);
                var phases = outcome.Phases with { Finish = watch.Elapsed.TotalSeconds - outcome.Phases.Decode - outcome.Phases.WaitForWriter };
                Log.FileIngested(logger, path, outcome.Datagrams, outcome.FlowRecords, outcome.SkippedRecords, outcome.Rows, watch.Elapsed.TotalSeconds,
                    outcome.FlowRecords / Math.Max(watch.Elapsed.TotalSeconds, 1e-6));
                Log.Phases(logger, path, phases.Hash, phases.Decode, phases.WaitForWriter, phases.Writer, phases.Finish);
                return outcome with { Seconds = watch.Elapsed.TotalSeconds, Phases = phases };
            }
            catch (OperationCanceledException) when (check.StoppedDecoding(cancellationToken))
            {
                // Only the early check cancels its source without the caller: it found the file in the ledger. It
                // cancels just before it returns, so its task may not be complete yet: wait for its entry.
                var entry = await check.IngestedBefore ?? throw new InvalidOperationException($"{path}: the decoding was stopped as a duplicate, but the ledger check found no entry");
                await tx.RollbackAsync(CancellationToken.None);
                Log.AlreadyIngested(logger, path, entry.IngestedAt, entry.FileName);
                Log.DuplicateStoppedEarly(logger, path, progress.Datagrams);
                return new IngestOutcome(path, IngestStatus.AlreadyIngested, progress.Datagrams, 0, 0, 0, watch.Elapsed.TotalSeconds, null);
            }
            catch (Exception ex) when (ex is not (DbException or OperationCanceledException))
            {
                // The file's fault (unreadable, bad capture, or a decoder bug on its bytes): roll back, report, go on
                // with the next. Database and cancellation failures are not the file's: they propagate and the file
                // stays where it is.
                await tx.RollbackAsync(CancellationToken.None);
                var reason = $"{path}: {ex.Message}";
                // A bad capture or an unreadable file is said in full by the reason (file and offset); anything else
                // is a bug, in the decoder say, whose stack trace the log keeps.
                Log.FileFailed(logger, ex is CaptureFormatException or IOException or UnauthorizedAccessException ? null : ex, path, reason);
                return IngestOutcome.Failure(path, reason);
            }
        }
        finally
        {
            await check.SettleAsync();
        }
    }

    private async Task<IngestOutcome> IngestInTransactionAsync(
        string path, EarlyDuplicateCheck check, IngestSettings settings, SiteResolver resolver, DbConnection connection, DbTransaction tx,
        FileProgress progress, CancellationToken cancellationToken)
    {
        var decoder = new FlowDecoder(new FlowDecoderOptions { SamplingOverrides = settings.SamplingOverrides });
        foreach (var snapshot in await FlowStore.LoadTemplatesAsync(connection, tx, cancellationToken))
        {
            if (!decoder.TryImportTemplates(snapshot, out _))
            {
                Log.TemplateSnapshotUnreadable(logger);
            }
        }

        // Two threads: this one reads, decodes and aggregates; the writer makes rows of what the aggregator hands over.
        // A record takes about 40-50 bytes of a v9/IPFIX capture (softflowd's are 45 with their headers).
        var aggregator = new FlowAggregator(settings, expectedRecords: new FileInfo(path).Length / 40);
        var decoding = new CaptureDecoding(decoder, aggregator);
        using var writer = new DrainWriter(store, aggregator, path, resolver, settings.TopN, connection, tx, logger, cancellationToken);
        var decodeWatch = Stopwatch.StartNew();
        double waited = 0;
        long rows;
        long size;
        IngestPhases phases;
        try
        {
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                size = stream.Length;
                progress.Start(path, stream);
                using var reader = CaptureReader.Open(stream, leaveOpen: true);
                while (decoding.DecodeUntilOverBudget(reader, settings.MaxEntriesInMemory, progress, check.StopDecoding))
                {
                    var handOver = decodeWatch.Elapsed.TotalSeconds;
                    await writer.HandOverAsync(aggregator.TakeOverBudget(), cancellationToken);
                    waited += decodeWatch.Elapsed.TotalSeconds - handOver;
                }

                decoding.Finish(reader);
                progress.Done(aggregator.FlowRecords);
            }

            var last = aggregator.TakeAll();
            var decoded = decodeWatch.Elapsed.TotalSeconds;
            await writer.HandOverLastAsync(last, cancellationToken);
            (rows, var writerBusy) = await writer.CompleteAsync();
            var lastWait = decodeWatch.Elapsed.TotalSeconds - decoded;
            phases = new IngestPhases(0, decoded - waited, waited + lastWait, writerBusy, 0);
        }
        catch
        {
            await writer.AbandonAsync();
            throw;
        }
        finally
        {
            // The writer is done with them either way: their memory goes now, not whenever the last reference does.
            aggregator.Release();
        }

        var (hash, hashSeconds) = await check.Hashing;
        phases = phases with { Hash = hashSeconds };
        if (await IngestLedger.FindAsync(connection, tx, hash, cancellationToken) is { } entry)
        {
            Log.AlreadyIngested(logger, path, entry.IngestedAt, entry.FileName);
            return new IngestOutcome(path, IngestStatus.AlreadyIngested, 0, 0, 0, 0, 0, null);
        }

        var (written, qualityRows) = await WriteFileRecordAsync(
            store, connection, tx, hash, Path.GetFileName(path), size, decoding, settings, aggregator.FlowRecords, time.GetUtcNow().UtcDateTime, cancellationToken);
        rows += written;
        var lost = qualityRows.Sum(q => q.SequenceLost);
        var missing = qualityRows.Sum(q => q.MissingTemplateSets);
        var undecodable = qualityRows.Sum(q => q.UndecodableSets);
        if (lost + missing + undecodable > 0)
        {
            Log.FileLosses(logger, path, lost, missing, undecodable);
        }

        var deviations = qualityRows.Sum(q => q.TrailingBytes + q.ZeroExportTime + q.ShortCounters + q.UnpaddedSets);
        if (deviations > 0)
        {
            Log.FileDeviations(logger, path, qualityRows.Sum(q => q.TrailingBytes), qualityRows.Sum(q => q.ZeroExportTime),
                qualityRows.Sum(q => q.ShortCounters), qualityRows.Sum(q => q.UnpaddedSets));
        }

        var cut = decoding.Quality.Cut;
        if (cut is not null)
        {
            Log.CaptureCut(logger, path, cut.Offset, cut.Reason);
        }

        return new IngestOutcome(path, IngestStatus.Ingested, progress.Datagrams, aggregator.FlowRecords, aggregator.SkippedRecords, rows, 0, null)
        {
            Phases = phases,
            Warning = cut is null ? null : $"{path}: the capture is {cut}; ingested up to it",
        };
    }

    /// <summary>
    /// What a file's transaction writes after its rows (also the warm-up's): its quality rows, the templates of the
    /// exporters it came from, and its ledger entry. Returns the rows written and the quality rows.
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<FlowQualityRow> Quality)> WriteFileRecordAsync(
        FlowStore store, DbConnection connection, DbTransaction tx, string hash, string name, long size, CaptureDecoding decoding, IngestSettings settings,
        long records, DateTime now, CancellationToken cancellationToken)
    {
        var qualityRows = decoding.Quality.Rows(hash, name, settings);
        var rows = await store.WriteQualityAsync(connection, tx, qualityRows, cancellationToken);
        var templates = TemplateSnapshot.SplitByExporter(decoding.Decoder.ExportTemplates())
            .Where(kv => decoding.Exporters.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        await FlowStore.SaveTemplatesAsync(connection, tx, templates, now, cancellationToken);
        await IngestLedger.RecordAsync(connection, tx, new LedgerEntry(hash, LedgerKind, name, size, records, now), cancellationToken);
        return (rows, qualityRows);
    }
}
