using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow.Decoding;
using ReportJob.Sites;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

/// <summary>
/// Ingests capture files: decode (templates seeded from the store), aggregate with bounded memory, write everything
/// plus the ledger entry in one transaction per file. A file already in the ledger is a no-op; a file that fails
/// half-way is rolled back and leaves nothing behind.
/// </summary>
internal sealed class FlowIngestor(
    IDbConnectionFactory factory,
    FlowStore store,
    SiteStore sites,
    IOptions<NetFlowOptions> options,
    TimeProvider time,
    ILogger<FlowIngestor> logger)
{
    public const string LedgerKind = "netflow";

    private const int CheckEveryDatagrams = 64;
    private const int WarmUpRecords = 3000;
    private const int MaxRowsPerWrite = 20_000;

    private static readonly Lazy<Task<long>> WarmUp = new(() => Task.Run(WarmUpIngestPathAsync));

    /// <summary>
    /// Compiles the ingest's path on a pool thread, once per process, by decoding, aggregating and making the rows of a
    /// small generated v9 capture in memory, and writing them into an in-memory SQLite database (nothing is stored). A
    /// command that is about to ingest calls this first: the JIT's work then overlaps the start of the host
    /// (configuration, database, migrations) instead of delaying the first file. Returns the records counted.
    /// </summary>
    public static Task<long> WarmUpInBackground() => WarmUp.Value;

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

    private async Task<IngestOutcome> IngestFileAsync(string path, IngestSettings settings, SiteResolver resolver, FileProgress progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        // The file's hash (its ledger key) is computed on the other core while the file is decoded, so the first ingest
        // of a file is not delayed by a pass of its own. Once it is known, the ledger is asked on a connection of its
        // own: a file ingested before stops being decoded then and is rolled back. The ledger is asked again in the
        // file's transaction at the end, which is what counts when two runs ingest the same file at once.
        var hashing = Task.Run(async () =>
        {
            var hashWatch = Stopwatch.StartNew();
            var sha256 = await IngestLedger.HashFileAsync(path, cancellationToken);
            return (Sha256: sha256, Seconds: hashWatch.Elapsed.TotalSeconds);
        }, cancellationToken);
        using var duplicate = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ingestedBefore = FindIngestedBeforeAsync(path, hashing, progress, duplicate);
        try
        {
            await using var connection = await factory.OpenAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcome = await IngestInTransactionAsync(path, hashing, settings, resolver, connection, tx, progress, cancellationToken, duplicate.Token);
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
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && duplicate.IsCancellationRequested)
            {
                // Only the early check cancels this source (the caller's token did not): it found the file in the
                // ledger. It cancels just before it returns, so its task may not be complete yet: wait for its entry.
                var entry = await ingestedBefore ?? throw new InvalidOperationException($"{path}: the decoding was stopped as a duplicate, but the ledger check found no entry");
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
            // The hash's reader must be done with the file before the inbox moves it (or it fails on Windows).
            await hashing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await ingestedBefore.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Once the file's hash is known, and while it is still being decoded: its ledger entry if it was ingested before
    /// (then <paramref name="duplicate"/> is cancelled, which stops the decoding), else null. A failure here only costs
    /// the early answer (it is logged); the check in the file's transaction stays.
    /// </summary>
    private async Task<LedgerEntry?> FindIngestedBeforeAsync(string path, Task<(string Sha256, double Seconds)> hashing, FileProgress progress, CancellationTokenSource duplicate)
    {
        // A hash that failed (the file unreadable) is the ingest's to report, not this check's.
        await hashing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!hashing.IsCompletedSuccessfully || progress.Decoded)
        {
            return null;
        }

        try
        {
            var sha256 = hashing.Result.Sha256;

            LedgerEntry? entry;
            await using (var connection = await factory.OpenAsync(duplicate.Token))
            {
                entry = await IngestLedger.FindAsync(connection, null, sha256, duplicate.Token);
            }

            if (entry is null || progress.Decoded)
            {
                return null;
            }

            // The last step: the ingest, stopped by this, awaits this check's entry.
            await duplicate.CancelAsync();
            return entry;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EarlyLedgerCheckFailed(logger, ex, path);
            return null;
        }
    }

    /// <summary>
    /// How far the decoding of a file got: for the early ledger check (on another thread) and for the caller's
    /// <see cref="IProgress{T}"/>, which the decoding thread tells at most every quarter of a second (checked every
    /// <see cref="CheckEveryDatagrams"/> datagrams) and once the file is read.
    /// </summary>
    private sealed class FileProgress(IProgress<IngestProgress>? sink = null, int number = 1, int count = 1)
    {
        private static readonly long Interval = System.Diagnostics.Stopwatch.Frequency / 4;
        private long _due;
        private string _name = "";
        private Stream? _stream;

        public long Datagrams;

        public volatile bool Decoded;

        /// <summary>The file being read, whose position is the progress.</summary>
        public void Start(string path, Stream stream)
        {
            (_name, _stream) = (Path.GetFileName(path), stream);
            _due = Stopwatch.GetTimestamp() + Interval;
        }

        /// <summary>Tells the caller, when a report is due.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Tick(long records)
        {
            if (sink is not null && Stopwatch.GetTimestamp() >= _due)
            {
                Report(records, end: false);
            }
        }

        /// <summary>The file is read to its end.</summary>
        public void Done(long records)
        {
            Decoded = true;
            if (sink is not null)
            {
                Report(records, end: true);
            }
        }

        private void Report(long records, bool end)
        {
            _due = Stopwatch.GetTimestamp() + Interval;
            if (_stream is { } stream)
            {
                sink!.Report(new IngestProgress(_name, number, count, end ? stream.Length : stream.Position, stream.Length, records));
            }
        }
    }

    private async Task<IngestOutcome> IngestInTransactionAsync(
        string path, Task<(string Sha256, double Seconds)> hashing, IngestSettings settings, SiteResolver resolver, DbConnection connection, DbTransaction tx,
        FileProgress progress, CancellationToken cancellationToken, CancellationToken stopDecoding)
    {
        var decoder = new FlowDecoder(new FlowDecoderOptions { SamplingOverrides = settings.SamplingOverrides });
        foreach (var snapshot in await FlowStore.LoadTemplatesAsync(connection, tx, cancellationToken))
        {
            if (!decoder.TryImportTemplates(snapshot, out _))
            {
                Log.TemplateSnapshotUnreadable(logger);
            }
        }

        // Two threads: this one reads, decodes and aggregates; a writer turns the buckets the aggregator hands over
        // (when its memory budget is reached, and at the end) into rows and writes them in the file's transaction.
        // A drain is handed over only once the writer has made the rows of the one before (and given its array back
        // to the aggregator), so the conversations in memory are the aggregator's budget plus at most one drain,
        // whichever side is the slower; the previous drain's rows, a few thousand, may still be being written.
        // A record takes about 40-50 bytes of a v9/IPFIX capture (softflowd's are 45 with their headers).
        var aggregator = new FlowAggregator(settings, expectedRecords: new FileInfo(path).Length / 40);
        var drains = Channel.CreateBounded<FlowDrain>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var rowsMade = new SemaphoreSlim(1, 1);
        using var partWritten = new SemaphoreSlim(0);
        using var abandon = new CancellationTokenSource();
        // The tables rows are summed in (their size follows the largest bucket): the writer's, and this thread's for the
        // last drain once the writer has made the rows before it (the semaphore orders the two).
        var totals = new BucketTotals();
        var writer = Task.Run(() => WriteDrainsAsync(drains, rowsMade, partWritten, aggregator, totals, path, resolver, settings.TopN, connection, tx, abandon.Token, cancellationToken), CancellationToken.None);
        var decodeWatch = Stopwatch.StartNew();
        double waited = 0;
        var quality = new QualityTracker();
        var sink = new AggregatingSink(aggregator);
        var exporters = new HashSet<FlowAddress>();
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
                while (DecodeUntilOverBudget(reader, decoder, ref sink, aggregator, quality, exporters, settings.MaxEntriesInMemory, progress, stopDecoding))
                {
                    var handOver = decodeWatch.Elapsed.TotalSeconds;
                    await HandOverAsync(drains.Writer, rowsMade, aggregator.TakeOverBudget(), writer, cancellationToken);
                    waited += decodeWatch.Elapsed.TotalSeconds - handOver;
                }
                progress.Done(aggregator.FlowRecords);
            }

            quality.ChargeUnresolved(decoder.DropPending());
            var last = aggregator.TakeAll();
            var decoded = decodeWatch.Elapsed.TotalSeconds;
            await HandOverMadeRowsAsync(drains.Writer, rowsMade, partWritten, last, totals, resolver, settings.TopN, writer, cancellationToken);
            drains.Writer.Complete();
            (rows, var writerBusy) = await writer;
            var lastWait = decodeWatch.Elapsed.TotalSeconds - decoded;
            phases = new IngestPhases(0, decoded - waited, waited + lastWait, writerBusy, 0);
        }
        catch
        {
            // The writer must be done with the connection before the caller rolls back: it finishes the insert it is in
            // (cancelling it could break a PostgreSQL connection, and then the rollback) and leaves the rest.
            drains.Writer.TryComplete();
            await abandon.CancelAsync();
            await writer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        finally
        {
            // The writer is done with them either way: their memory goes now, not whenever the last reference does.
            aggregator.Release();
            totals.Release();
        }

        var (hash, hashSeconds) = await hashing;
        phases = phases with { Hash = hashSeconds };
        if (await IngestLedger.FindAsync(connection, tx, hash, cancellationToken) is { } entry)
        {
            Log.AlreadyIngested(logger, path, entry.IngestedAt, entry.FileName);
            return new IngestOutcome(path, IngestStatus.AlreadyIngested, 0, 0, 0, 0, 0, null);
        }

        var (written, qualityRows) = await WriteFileRecordAsync(
            store, connection, tx, hash, Path.GetFileName(path), size, quality, decoder, exporters, settings, aggregator.FlowRecords, time.GetUtcNow().UtcDateTime, cancellationToken);
        rows += written;
        var lost = qualityRows.Sum(q => q.SequenceLost);
        var missing = qualityRows.Sum(q => q.MissingTemplateSets);
        var undecodable = qualityRows.Sum(q => q.UndecodableSets);
        if (lost + missing + undecodable > 0)
        {
            Log.FileLosses(logger, path, lost, missing, undecodable);
        }

        return new IngestOutcome(path, IngestStatus.Ingested, progress.Datagrams, aggregator.FlowRecords, aggregator.SkippedRecords, rows, 0, null)
        {
            Phases = phases,
        };
    }

    /// <summary>
    /// What a file's transaction writes after its rows (also the warm-up's): its quality rows, the templates of the
    /// exporters it came from, and its ledger entry. Returns the rows written and the quality rows.
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<FlowQualityRow> Quality)> WriteFileRecordAsync(
        FlowStore store, DbConnection connection, DbTransaction tx, string hash, string name, long size, QualityTracker quality, FlowDecoder decoder,
        HashSet<FlowAddress> exporters, IngestSettings settings, long records, DateTime now, CancellationToken cancellationToken)
    {
        var qualityRows = quality.Streams.Select(kv => Row(hash, name, kv.Key, kv.Value, settings)).ToList();
        var rows = await store.WriteQualityAsync(connection, tx, qualityRows, cancellationToken);
        var templates = TemplateSnapshot.SplitByExporter(decoder.ExportTemplates())
            .Where(kv => exporters.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        await FlowStore.SaveTemplatesAsync(connection, tx, templates, now, cancellationToken);
        await IngestLedger.RecordAsync(connection, tx, new LedgerEntry(hash, LedgerKind, name, size, records, now), cancellationToken);
        return (rows, qualityRows);
    }

    /// <summary>
    /// Reads, decodes and aggregates datagrams until the aggregator holds its budget (true: hand a drain over, then call
    /// again) or the capture ends (false). Outside the async method, so that this loop is compiled on its own and fully
    /// optimised at first call, not as part of the method's state machine.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool DecodeUntilOverBudget(
        CaptureReader reader, FlowDecoder decoder, ref AggregatingSink sink, FlowAggregator aggregator, QualityTracker quality, HashSet<FlowAddress> exporters,
        int budget, FileProgress progress, CancellationToken cancellationToken)
    {
        while (reader.TryRead(out var datagram))
        {
            var payload = datagram.Payload.Span;
            var current = quality.For(datagram.Exporter, payload);
            current.Datagrams++;
            sink.Current = current;
            exporters.Add(datagram.Exporter);
            var before = DecoderCounters.Of(decoder.Statistics);
            decoder.Decode(datagram.Exporter, payload, datagram.TimestampUtc, ref sink);
            DecoderCounters.Of(decoder.Statistics).ChargeDifference(before, current);
            if (++progress.Datagrams % CheckEveryDatagrams == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress.Tick(aggregator.FlowRecords);
                if (aggregator.EntryCount >= budget)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static async Task<long> WarmUpIngestPathAsync()
    {
        using var capture = new MemoryStream();
        SampleCapture.Write(capture, WarmUpRecords);
        capture.Position = 0;
        var settings = new IngestSettings(new NetFlowOptions());
        var aggregator = new FlowAggregator(settings);
        var sink = new AggregatingSink(aggregator);
        var decoder = new FlowDecoder();
        var quality = new QualityTracker();
        var exporters = new HashSet<FlowAddress>();
        using (var reader = CaptureReader.Open(capture, leaveOpen: true))
        {
            DecodeUntilOverBudget(reader, decoder, ref sink, aggregator, quality, exporters, int.MaxValue, new FileProgress(), CancellationToken.None);
        }

        var batch = aggregator.TakeAll().ToBatch(new SiteResolver(Sites.SiteMap.Empty), settings.TopN, new BucketTotals());
        // Then what a file's transaction does around its rows, on an in-memory SQLite database: in a first file, the
        // bulk insert of each flow row type took 0.03-0.04 s more in its first write than in its later ones, and the
        // templates, quality rows and ledger 0.02-0.03 s more than in a later file.
        using var factory = new DbConnectionFactory(Options.Create(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = "Data Source=:memory:" }));
        await using var connection = await factory.OpenAsync(CancellationToken.None);
        foreach (var script in SchemaScript.Load(StorageProvider.Sqlite))
        {
            await using var create = connection.CreateCommand();
            create.CommandText = script.Sql;
            await create.ExecuteNonQueryAsync();
        }

        await using var tx = await connection.BeginTransactionAsync();
        var store = new FlowStore(new BulkInserter(factory));
        await FlowStore.LoadTemplatesAsync(connection, tx, CancellationToken.None);
        await store.WriteAsync(connection, tx, batch, CancellationToken.None);
        var hash = new string('0', 64);
        await IngestLedger.FindAsync(connection, tx, hash, CancellationToken.None);
        await WriteFileRecordAsync(store, connection, tx, hash, "warm-up", capture.Length, quality, decoder, exporters, settings, aggregator.FlowRecords,
            TimeProvider.System.GetUtcNow().UtcDateTime, CancellationToken.None);
        // The pool would keep the connection, and with it the in-memory database, open for the rest of the process.
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool((Microsoft.Data.Sqlite.SqliteConnection)connection);
        return aggregator.FlowRecords;
    }

    /// <summary>
    /// Gives a drain to the writer once the rows of the previous one are made; when the writer has failed, its exception
    /// (not the closed channel's) is thrown.
    /// </summary>
    private static async Task HandOverAsync(ChannelWriter<FlowDrain> drains, SemaphoreSlim rowsMade, FlowDrain drain, Task writer, CancellationToken cancellationToken)
    {
        if (drain.IsEmpty)
        {
            return;
        }

        try
        {
            await rowsMade.WaitAsync(cancellationToken);
            await drains.WriteAsync(drain, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await writer;
            throw;
        }
    }

    /// <summary>
    /// The last drain of a file: this thread, done decoding, makes its rows (once the writer has made the previous
    /// drain's, which it may still be writing) and gives them to the writer in parts, in two batches that take turns.
    /// Making the last rows here overlaps them with the writer's inserts instead of following them. The writer's
    /// <paramref name="totals"/> serve: it no longer needs them once it has made the previous drain's rows (with random
    /// hosts, tables of a bucket's size; a second set added 20 MB to the peak of 5 M generated records).
    /// </summary>
    private static async Task HandOverMadeRowsAsync(
        ChannelWriter<FlowDrain> drains, SemaphoreSlim rowsMade, SemaphoreSlim partWritten, FlowDrain drain, BucketTotals totals, SiteResolver resolver, int topN,
        Task writer, CancellationToken cancellationToken)
    {
        if (drain.IsEmpty)
        {
            return;
        }

        try
        {
            await rowsMade.WaitAsync(cancellationToken);
            FlowBatch[] batches = [new(), new()];
            var next = 0;
            var done = false;
            for (var part = 0; !done; part++)
            {
                var batch = batches[part % 2];
                if (part >= 2)
                {
                    // The part that used this batch before is written (or the writer failed and woke this thread).
                    await partWritten.WaitAsync(cancellationToken);
                }

                done = drain.AppendRows(batch, ref next, resolver, topN, totals, MaxRowsPerWrite);
                await drains.WriteAsync(new FlowDrain { Rows = batch }, cancellationToken);
            }

            drain.Buckets.Clear();
            drain.Scans.Clear();
        }
        catch (ChannelClosedException)
        {
            await writer;
            throw;
        }
    }

    /// <summary>The writing thread: rows of each drain into the store; returns the rows written and its busy seconds.</summary>
    /// <remarks><paramref name="abandon"/>: the decoding thread failed or stopped; drains still queued are left.</remarks>
    private async Task<(long Rows, double BusySeconds)> WriteDrainsAsync(
        Channel<FlowDrain> drains, SemaphoreSlim rowsMade, SemaphoreSlim partWritten, FlowAggregator aggregator, BucketTotals totals, string path, SiteResolver resolver,
        int topN, DbConnection connection, DbTransaction tx, CancellationToken abandon, CancellationToken cancellationToken)
    {
        long rows = 0;
        double busy = 0;
        // One batch for the file: its lists keep their capacity instead of growing again on the large-object heap.
        var batch = new FlowBatch();
        try
        {
            await foreach (var drain in drains.Reader.ReadAllAsync(cancellationToken))
            {
                if (abandon.IsCancellationRequested)
                {
                    break;
                }

                var watch = Stopwatch.StartNew();
                if (drain.Rows is { } made)
                {
                    var count = made.RowCount;
                    rows += await store.WriteAsync(connection, tx, made, cancellationToken);
                    made.Clear();
                    partWritten.Release();
                    Log.Flushed(logger, path, count, 0, 0, 0, watch.Elapsed.TotalSeconds);
                    busy += watch.Elapsed.TotalSeconds;
                    continue;
                }

                double written = 0;
                var (buckets, hours, drainRows) = (drain.Buckets.Count, drain.Scans.Count, 0);
                var next = 0;
                // A drain's rows are written in parts of about MaxRowsPerWrite: when flows fall into many buckets at
                // once, each bucket is cut often and a drain makes hundreds of thousands of rows, which held as
                // objects until written were most of the ingest's memory.
                while (!drain.AppendRows(batch, ref next, resolver, topN, totals, MaxRowsPerWrite))
                {
                    abandon.ThrowIfCancellationRequested();
                    var part = Stopwatch.StartNew();
                    drainRows += batch.RowCount;
                    rows += await store.WriteAsync(connection, tx, batch, cancellationToken);
                    batch.Clear();
                    written += part.Elapsed.TotalSeconds;
                }

                var built = watch.Elapsed.TotalSeconds - written;
                aggregator.ReturnConversations(drain);
                // The writer owns the drain: it lets go of its buckets (and through them of the array) now, whoever may
                // still hold the drain itself. In bench ingest --rounds, stale stack slots of the thread that ran the
                // next round still pointed at the previous ingest's state (found with ClrMD's GCRoot) and, when each
                // bucket had its own table, kept up to 81 MB of them alive.
                drain.Buckets.Clear();
                drain.Scans.Clear();

                rowsMade.Release();
                drainRows += batch.RowCount;
                rows += await store.WriteAsync(connection, tx, batch, cancellationToken);
                batch.Clear();
                Log.Flushed(logger, path, drainRows, buckets, hours, built, watch.Elapsed.TotalSeconds - built);
                busy += watch.Elapsed.TotalSeconds;
            }
        }
        catch (Exception ex)
        {
            // Wakes the decoding thread if it waits for the rows, for a part to be written or on the full channel; it
            // then rethrows this exception.
            drains.Writer.TryComplete(ex);
            if (rowsMade.CurrentCount == 0)
            {
                // Only this thread releases, so the count cannot reach 1 between the test and the release.
                rowsMade.Release();
            }

            partWritten.Release();

            throw;
        }

        return (rows, busy);
    }

    private static FlowQualityRow Row(string hash, string name, QualityKey key, QualityCounters c, IngestSettings settings) => new(
        hash,
        name,
        key.Exporter.IsUnspecified && key.Version == 0 ? "(file)" : key.Exporter.ToString(),
        key.Version,
        key.Domain,
        c.FirstExportTicks == 0 ? null : new DateTime(c.FirstExportTicks, DateTimeKind.Utc),
        c.LastExportTicks == 0 ? null : new DateTime(c.LastExportTicks, DateTimeKind.Utc),
        c.Datagrams,
        c.FlowRecords,
        c.OptionsRecords,
        c.SequenceGaps,
        c.SequenceLost,
        c.MissingTemplateSets,
        c.UndecodableSets,
        c.SamplingMin,
        c.SamplingMax,
        DirectionPolicies.Name(settings.PolicyFor(key.Exporter).Direction),
        c.SkippedFlows);

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
