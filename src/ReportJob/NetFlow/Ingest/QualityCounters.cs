namespace ReportJob.NetFlow;

/// <summary>What one export stream of one file delivered and lost (becomes a <c>flow_quality</c> row).</summary>
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
    public uint SamplingMin;
    public uint SamplingMax;
    public long FirstExportTicks;
    public long LastExportTicks;

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
