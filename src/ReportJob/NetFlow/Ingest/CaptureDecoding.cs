using System.Runtime.CompilerServices;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// The decoding of one capture file: each datagram decoded and its records counted into the aggregator (through the
/// sink) and into the quality counters of the stream it belongs to, with what its <see cref="DecodeResult"/> says it
/// lost or deviated in; the exporters seen, whose templates the file's transaction stores.
/// </summary>
internal sealed class CaptureDecoding(FlowDecoder decoder, FlowAggregator aggregator)
{
    /// <summary>Datagrams between checks of the budget, the cancellation and the progress.</summary>
    private const int CheckEveryDatagrams = 64;

    private AggregatingSink _sink = new(aggregator);

    public FlowDecoder Decoder => decoder;

    public QualityTracker Quality { get; } = new();

    public HashSet<FlowAddress> Exporters { get; } = [];

    /// <summary>
    /// Reads, decodes and aggregates datagrams until the aggregator holds its budget (true: hand a drain over, then call
    /// again) or the capture ends (false). Compiled fully optimised at its first call (a capture is decoded once).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool DecodeUntilOverBudget(CaptureReader reader, int budget, FileProgress progress, CancellationToken cancellationToken)
    {
        while (reader.TryRead(out var datagram))
        {
            var payload = datagram.Payload.Span;
            var stream = Quality.For(datagram.Exporter, payload);
            _sink.Current = stream;
            Exporters.Add(datagram.Exporter);
            stream.Count(decoder.Decode(datagram.Exporter, payload, datagram.TimestampUtc, ref _sink));
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

    /// <summary>
    /// The end of the file: data sets still waiting for a template are let go and counted (RFC 3954 §9: the collector
    /// keeps them only so long), and the capture's cut, if it ended in the middle of a record.
    /// </summary>
    public void Finish(CaptureReader reader)
    {
        Quality.ChargeUnresolved(decoder.DropPending());
        Quality.Cut = reader.Cut;
    }
}
