namespace ReportJob.NetFlow;

/// <summary>Tiny flows from one source to one target (host or port): count and time span (ticks, UTC).</summary>
internal struct ScanTarget
{
    public long Flows;
    public long FirstTicks;
    public long LastTicks;

    public void Add(long flows, long startTicks, long endTicks)
    {
        FirstTicks = Flows == 0 ? startTicks : Math.Min(FirstTicks, startTicks);
        LastTicks = Math.Max(LastTicks, endTicks);
        Flows += flows;
    }
}
