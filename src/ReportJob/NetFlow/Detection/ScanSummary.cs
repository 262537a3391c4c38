namespace ReportJob.NetFlow;

/// <summary>One source's probe-shaped flows in one hour: how many, their time span (ticks, UTC), and how many distinct hosts and ports are held as evidence.</summary>
internal struct ScanSummary
{
    public long Flows;
    public long FirstTicks;
    public long LastTicks;
    public int Hosts;
    public int Ports;

    public void Add(long flows, long startTicks, long endTicks)
    {
        FirstTicks = Flows == 0 ? startTicks : Math.Min(FirstTicks, startTicks);
        LastTicks = Math.Max(LastTicks, endTicks);
        Flows += flows;
    }
}
