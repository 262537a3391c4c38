using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>What one export stream of one file delivered, lost and deviated in (becomes a <c>flow_quality</c> row).</summary>
internal sealed class QualityCounters
{
    public long Datagrams;
    public long FlowRecords;
    public long OptionsRecords;
    public long SequenceGaps;
    public long SequenceLost;
    public long MissingTemplateSets;
    public long UndecodableSets;
    public long SkippedFlows;
    public readonly ExportDeviationCounts Deviations = new();
    public uint SamplingMin;
    public uint SamplingMax;
    public long FirstExportTicks;
    public long LastExportTicks;

    /// <summary>One datagram of the stream, with what its decoding says it lost and deviated in.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Count(in DecodeResult result)
    {
        Datagrams++;
        SequenceGaps += result.SequenceGaps;
        SequenceLost += result.SequenceLost;
        MissingTemplateSets += result.PendingSetsDropped;
        UndecodableSets += result.UndecodableSets;
        Deviations.Count(result.Deviations);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void SeeSampling(uint sampling)
    {
        if (SamplingMin == 0 || sampling < SamplingMin)
        {
            SamplingMin = sampling;
        }

        if (sampling > SamplingMax)
        {
            SamplingMax = sampling;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void SeeExport(long ticks)
    {
        if (ticks == 0)
        {
            return;
        }

        if (FirstExportTicks == 0 || ticks < FirstExportTicks)
        {
            FirstExportTicks = ticks;
        }

        if (ticks > LastExportTicks)
        {
            LastExportTicks = ticks;
        }
    }
}
