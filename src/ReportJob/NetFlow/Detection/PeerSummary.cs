namespace ReportJob.NetFlow;

/// <summary>
/// One address's flows of one kind in one hour (a DoS target's probe-shaped flows, a mail sender's SMTP flows): how
/// many, their packets (sampling applied), their time span (ticks, UTC) and how many distinct peers are held.
/// </summary>
internal struct PeerSummary
{
    public long Flows;
    public long Packets;
    public long FirstTicks;
    public long LastTicks;
    public int Peers;

    public void Add(long flows, long packets, long startTicks, long endTicks)
    {
        FirstTicks = Flows == 0 ? startTicks : Math.Min(FirstTicks, startTicks);
        LastTicks = Math.Max(LastTicks, endTicks);
        Flows += flows;
        Packets += packets;
    }
}
