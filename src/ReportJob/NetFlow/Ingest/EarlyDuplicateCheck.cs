using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

/// <summary>
/// A file's hash (its ledger key), computed on the other core while the file is decoded, so that the first ingest of a
/// file is not delayed by a pass of its own; and, once the hash is known, the ledger asked on a connection of its own:
/// a file ingested before stops being decoded then (<see cref="StopDecoding"/> is cancelled) and is rolled back. The
/// ledger is asked again in the file's transaction at the end, which is what counts when two runs ingest the same
/// file at once; a failure here only costs the early answer (it is logged).
/// </summary>
internal sealed class EarlyDuplicateCheck : IDisposable
{
    private readonly CancellationTokenSource _duplicate;

    private EarlyDuplicateCheck(string path, IDbConnectionFactory factory, FileProgress progress, ILogger logger, CancellationToken cancellationToken)
    {
        _duplicate = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Hashing = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            var sha256 = await IngestLedger.HashFileAsync(path, cancellationToken);
            return (Sha256: sha256, Seconds: watch.Elapsed.TotalSeconds);
        }, cancellationToken);
        IngestedBefore = FindIngestedBeforeAsync(path, factory, progress, logger);
    }

    /// <summary>The file's SHA-256 and the seconds it took.</summary>
    public Task<(string Sha256, double Seconds)> Hashing { get; }

    /// <summary>The file's ledger entry when the early check found it ingested before, else null.</summary>
    public Task<LedgerEntry?> IngestedBefore { get; }

    /// <summary>Cancelled when the early check finds the file in the ledger (or the caller cancels).</summary>
    public CancellationToken StopDecoding => _duplicate.Token;

    /// <summary>True when a cancellation is this check's (it found the file in the ledger), not the caller's.</summary>
    public bool StoppedDecoding(CancellationToken callerToken) => !callerToken.IsCancellationRequested && _duplicate.IsCancellationRequested;

    public static EarlyDuplicateCheck Start(string path, IDbConnectionFactory factory, FileProgress progress, ILogger logger, CancellationToken cancellationToken) =>
        new(path, factory, progress, logger, cancellationToken);

    /// <summary>Waits until the hash's reader is done with the file (before the inbox moves it; it fails on Windows otherwise).</summary>
    public async Task SettleAsync()
    {
        await Hashing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await IngestedBefore.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Dispose() => _duplicate.Dispose();

    private async Task<LedgerEntry?> FindIngestedBeforeAsync(string path, IDbConnectionFactory factory, FileProgress progress, ILogger logger)
    {
        // A hash that failed (the file unreadable) is the ingest's to report, not this check's.
        await Hashing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!Hashing.IsCompletedSuccessfully || progress.Decoded)
        {
            return null;
        }

        try
        {
            LedgerEntry? entry;
            await using (var connection = await factory.OpenAsync(_duplicate.Token))
            {
                entry = await IngestLedger.FindAsync(connection, null, Hashing.Result.Sha256, _duplicate.Token);
            }

            if (entry is null || progress.Decoded)
            {
                return null;
            }

            // The last step: the ingest, stopped by this, awaits this check's entry.
            await _duplicate.CancelAsync();
            return entry;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EarlyLedgerCheckFailed(logger, ex, path);
            return null;
        }
    }
}
