using System.Net;
using Microsoft.Extensions.Logging;

namespace ReportJob.NetFlow;

/// <summary>
/// Where every collector writes what it receives: the rotated pcap files of a <see cref="RotatingPcapWriter"/> (each
/// message a record with the exporter's address and port), behind one lock for the receiving tasks and the rotation
/// timer. At start the <c>.partial</c> files an earlier run left are completed.
/// </summary>
internal sealed class CollectorOutput : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly RotatingPcapWriter _writer;
    private readonly PeriodicTimer _ticker;
    private readonly CancellationTokenSource _stopTicking = new();
    private readonly Task _rotation;

    public CollectorOutput(ListenSettings settings, TimeProvider time, ILogger logger)
    {
        foreach (var (path, datagrams, bytes) in RotatingPcapWriter.RecoverLeftovers(settings.OutputPath))
        {
            Log.LeftoverCompleted(logger, path, datagrams, bytes);
        }

        _writer = new RotatingPcapWriter(settings.OutputPath, settings.RotateEvery, settings.RotateBytes, time)
        {
            Completed = (path, datagrams, bytes) => Log.CaptureRotated(logger, path, datagrams, bytes),
            WriteFailed = (path, offset, reason, held) => Log.WriteFailed(logger, path, offset, reason, held),
            WriteResumed = (path, dropped) => Log.WriteResumed(logger, path, dropped),
        };
        _ticker = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(settings.RotateEvery.TotalSeconds / 4, 0.25, 5)), time);
        _rotation = TickAsync();
    }

    /// <summary>Messages written to files.</summary>
    public long Written => _writer.Written;

    /// <summary>Files completed.</summary>
    public long Files => _writer.FilesCompleted;

    /// <summary>Messages received but not written: the disk refused them for longer than the writer could hold them.</summary>
    public long NotWritten => _writer.Dropped;

    /// <summary>Writes a message as a datagram from <paramref name="source"/>; false when it is too large for one (see <see cref="RotatingPcapWriter.MaxPayload"/>).</summary>
    public bool Write(ReadOnlySpan<byte> message, IPEndPoint source, IPEndPoint destination)
    {
        if (message.Length > RotatingPcapWriter.MaxPayload(source, destination))
        {
            return false;
        }

        lock (_gate)
        {
            _writer.Write(message, source, destination);
        }

        return true;
    }

    /// <summary>Completes the current file (and writes what is still held, if the disk takes it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopTicking.CancelAsync();
        try
        {
            await _rotation;
        }
        catch (OperationCanceledException)
        {
        }

        lock (_gate)
        {
            _writer.Dispose();
        }

        _ticker.Dispose();
        _stopTicking.Dispose();
    }

    private async Task TickAsync()
    {
        while (await _ticker.WaitForNextTickAsync(_stopTicking.Token))
        {
            lock (_gate)
            {
                _writer.Tick();
            }
        }
    }
}
