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
    public long TrailingBytes;
    public long ZeroExportTime;
    public long ShortCounters;
    public long UnpaddedSets;
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
        var deviations = result.Deviations;
        if (deviations != ExportDeviations.None)
        {
            TrailingBytes += (deviations & ExportDeviations.TrailingBytes) != 0 ? 1 : 0;
            ZeroExportTime += (deviations & ExportDeviations.ZeroExportTime) != 0 ? 1 : 0;
            ShortCounters += (deviations & ExportDeviations.ShortCounters) != 0 ? 1 : 0;
            UnpaddedSets += (deviations & ExportDeviations.UnpaddedSet) != 0 ? 1 : 0;
        }
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
