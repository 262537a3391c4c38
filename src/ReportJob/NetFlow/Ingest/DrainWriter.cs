using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ReportJob.NetFlow;

/// <summary>
/// The writing thread of one file's ingest: it turns the drains the aggregator hands over (when its memory budget is
/// reached, and at the end) into rows and writes them in the file's transaction, while the decoding thread goes on.
/// A drain is handed over only once the writer has made the rows of the one before (and given its array back to the
/// aggregator), so the conversations in memory are the aggregator's budget plus at most one drain, whichever side is
/// the slower; the previous drain's rows, a few thousand, may still be being written.
/// </summary>
internal sealed class DrainWriter : IDisposable
{
    /// <summary>
    /// A drain's rows are written in parts of about this many: when flows fall into many buckets at once, each bucket is
    /// cut often and a drain makes hundreds of thousands of rows, which held as objects until written were most of the
    /// ingest's memory.
    /// </summary>
    private const int MaxRowsPerWrite = 20_000;

    private readonly Channel<FlowDrain> _drains = Channel.CreateBounded<FlowDrain>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _rowsMade = new(1, 1);
    private readonly SemaphoreSlim _partWritten = new(0);
    private readonly CancellationTokenSource _abandon = new();

    // The tables rows are summed in (their size follows the largest bucket): the writer's, and the decoding thread's for
    // the last drain once the writer has made the rows before it (the semaphore orders the two).
    private readonly BucketTotals _totals = new();
    private readonly FlowStore _store;
    private readonly FlowAggregator _aggregator;
    private readonly string _path;
    private readonly SiteResolver _resolver;
    private readonly int _topN;
    private readonly DbConnection _connection;
    private readonly DbTransaction _tx;
    private readonly ILogger _logger;
    private readonly Task<(long Rows, double BusySeconds)> _writer;

    public DrainWriter(
        FlowStore store, FlowAggregator aggregator, string path, SiteResolver resolver, int topN, DbConnection connection, DbTransaction tx, ILogger logger,
        CancellationToken cancellationToken)
    {
        (_store, _aggregator, _path, _resolver, _topN, _connection, _tx, _logger) = (store, aggregator, path, resolver, topN, connection, tx, logger);
        _writer = Task.Run(() => WriteDrainsAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>
    /// Gives a drain to the writer once the rows of the previous one are made; when the writer has failed, its exception
    /// (not the closed channel's) is thrown.
    /// </summary>
    public async Task HandOverAsync(FlowDrain drain, CancellationToken cancellationToken)
    {
        if (drain.IsEmpty)
        {
            return;
        }

        try
        {
            await _rowsMade.WaitAsync(cancellationToken);
            await _drains.Writer.WriteAsync(drain, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await _writer;
            throw;
        }
    }

    /// <summary>
    /// The last drain of a file: the calling (decoding) thread, done decoding, makes its rows (once the writer has made
    /// the previous drain's, which it may still be writing) and gives them to the writer in parts, in two batches that
    /// take turns. Making the last rows here overlaps them with the writer's inserts instead of following them. The
    /// writer's totals serve: it no longer needs them once it has made the previous drain's rows (with random hosts,
    /// tables of a bucket's size; a second set added 20 MB to the peak of 5 M generated records).
    /// </summary>
    public async Task HandOverLastAsync(FlowDrain drain, CancellationToken cancellationToken)
    {
        if (drain.IsEmpty)
        {
            return;
        }

        try
        {
            await _rowsMade.WaitAsync(cancellationToken);
            FlowBatch[] batches = [new(), new()];
            var next = 0;
            var done = false;
            for (var part = 0; !done; part++)
            {
                var batch = batches[part % 2];
                if (part >= 2)
                {
                    // The part that used this batch before is written (or the writer failed and woke this thread).
                    await _partWritten.WaitAsync(cancellationToken);
                }

                done = drain.AppendRows(batch, ref next, _resolver, _topN, _totals, MaxRowsPerWrite);
                await _drains.Writer.WriteAsync(new FlowDrain { Rows = batch }, cancellationToken);
            }

            drain.Buckets.Clear();
            drain.Detections.Clear();
        }
        catch (ChannelClosedException)
        {
            await _writer;
            throw;
        }
    }

    /// <summary>No more drains: waits for the writer to write what it has; returns the rows written and its busy seconds.</summary>
    public Task<(long Rows, double BusySeconds)> CompleteAsync()
    {
        _drains.Writer.Complete();
        return _writer;
    }

    /// <summary>
    /// The decoding thread failed or stopped: the writer finishes the insert it is in (cancelling it could break a
    /// PostgreSQL connection, and then the rollback) and leaves the rest, so that the caller can roll back.
    /// </summary>
    public async Task AbandonAsync()
    {
        _drains.Writer.TryComplete();
        await _abandon.CancelAsync();
        await _writer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Lets go of the totals' memory now, not whenever the last reference does (the writer is done with them either way).</summary>
    public void Dispose()
    {
        _totals.Release();
        _rowsMade.Dispose();
        _partWritten.Dispose();
        _abandon.Dispose();
    }

    private async Task<(long Rows, double BusySeconds)> WriteDrainsAsync(CancellationToken cancellationToken)
    {
        long rows = 0;
        double busy = 0;
        // One batch for the file: its lists keep their capacity instead of growing again on the large-object heap.
        var batch = new FlowBatch();
        try
        {
            await foreach (var drain in _drains.Reader.ReadAllAsync(cancellationToken))
            {
                if (_abandon.IsCancellationRequested)
                {
                    break;
                }

                var watch = Stopwatch.StartNew();
                if (drain.Rows is { } made)
                {
                    var count = made.RowCount;
                    rows += await _store.WriteAsync(_connection, _tx, made, cancellationToken);
                    made.Clear();
                    _partWritten.Release();
                    Log.Flushed(_logger, _path, count, 0, 0, 0, watch.Elapsed.TotalSeconds);
                    busy += watch.Elapsed.TotalSeconds;
                    continue;
                }

                double written = 0;
                var (buckets, hours, drainRows) = (drain.Buckets.Count, drain.Detections.Count, 0);
                var next = 0;
                while (!drain.AppendRows(batch, ref next, _resolver, _topN, _totals, MaxRowsPerWrite))
                {
                    _abandon.Token.ThrowIfCancellationRequested();
                    var part = Stopwatch.StartNew();
                    drainRows += batch.RowCount;
                    rows += await _store.WriteAsync(_connection, _tx, batch, cancellationToken);
                    batch.Clear();
                    written += part.Elapsed.TotalSeconds;
                }

                var built = watch.Elapsed.TotalSeconds - written;
                _aggregator.ReturnConversations(drain);
                // The writer owns the drain: it lets go of its buckets (and through them of the array) now, whoever may
                // still hold the drain itself. In bench ingest --rounds, stale stack slots of the thread that ran the
                // next round still pointed at the previous ingest's state (found with ClrMD's GCRoot) and, when each
                // bucket had its own table, kept up to 81 MB of them alive.
                drain.Buckets.Clear();
                drain.Detections.Clear();

                _rowsMade.Release();
                drainRows += batch.RowCount;
                rows += await _store.WriteAsync(_connection, _tx, batch, cancellationToken);
                batch.Clear();
                Log.Flushed(_logger, _path, drainRows, buckets, hours, built, watch.Elapsed.TotalSeconds - built);
                busy += watch.Elapsed.TotalSeconds;
            }
        }
        catch (Exception ex)
        {
            // Wakes the decoding thread if it waits for the rows, for a part to be written or on the full channel; it
            // then rethrows this exception.
            _drains.Writer.TryComplete(ex);
            if (_rowsMade.CurrentCount == 0)
            {
                // Only this thread releases, so the count cannot reach 1 between the test and the release.
                _rowsMade.Release();
            }

            _partWritten.Release();

            throw;
        }

        return (rows, busy);
    }
}
