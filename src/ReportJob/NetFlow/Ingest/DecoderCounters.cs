using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>The decoder's loss counters at one instant; the difference around one datagram is charged to its stream.</summary>
internal readonly record struct DecoderCounters(long SequenceGaps, long SequenceLost, long PendingDropped, long Undecodable)
{
    public static DecoderCounters Of(FlowDecoderStatistics s) =>
        new(s.SequenceGaps, s.SequenceLost, s.PendingSetsDropped, s.MalformedSets + s.Truncated + s.UnknownVersion + s.TemplatesRejected);

    public void ChargeDifference(DecoderCounters before, QualityCounters to)
    {
        to.SequenceGaps += SequenceGaps - before.SequenceGaps;
        to.SequenceLost += SequenceLost - before.SequenceLost;
        to.MissingTemplateSets += PendingDropped - before.PendingDropped;
        to.UndecodableSets += Undecodable - before.Undecodable;
    }
}
