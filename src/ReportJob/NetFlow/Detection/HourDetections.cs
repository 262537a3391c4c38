namespace ReportJob.NetFlow;

/// <summary>The detections' evidence of one hour of a file: probe-shaped flows (scans, DoS targets) and mail fan-out.</summary>
internal sealed class HourDetections(long hourTicks, ScanOptions scan, DosOptions dos, MailFanOutOptions mail)
{
    public long HourTicks { get; } = hourTicks;

    public ProbeTracker Probes { get; } = new(hourTicks, scan, dos);

    public FanOutTracker Mail { get; } = new(mail);

    /// <summary>Entries held in both (part of the aggregator's memory budget).</summary>
    public int EntryCount => Probes.EntryCount + Mail.EntryCount;

    /// <summary>The evidence rows worth keeping.</summary>
    public void AppendRows(FlowBatch batch)
    {
        Probes.AppendRows(batch.ScanEvidence, batch.PeerEvidence);
        Mail.AppendRows(new DateTime(HourTicks, DateTimeKind.Utc), batch.PeerEvidence);
    }
}
