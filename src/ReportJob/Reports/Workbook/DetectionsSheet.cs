using ReportJob.Reports.Model;

namespace ReportJob.Reports.Workbook;

/// <summary>
/// The workbook's "Detections" sheet: heavy hitters, DoS/DDoS targets and mail fan-out, one row per finding with the
/// figures each kind has (the others empty) and its evidence.
/// </summary>
public static class DetectionsSheet
{
    public static SheetSpec Of(FlowDetections d) => new("Detections",
    [
        new("Kind", CellKind.Text, 14), new("Host", CellKind.Text, 40), new("Site", CellKind.Text, 20), new("Role", CellKind.Text, 12),
        new("From", CellKind.DateTime, 18), new("To", CellKind.DateTime, 18), new("Share of bytes", CellKind.Percent, 14),
        new("Share of packets", CellKind.Percent, 16), new("Distinct peers", CellKind.Integer, 14), new("Flows", CellKind.Integer, 12),
        new("Packets", CellKind.Integer, 14), new("Bytes", CellKind.Integer, 16), new("Peak packets/s", CellKind.Decimal, 14), new("Evidence", CellKind.Text, 60),
    ],
    d.HeavyHitters.Select(h => new object?[]
        {
            "heavy hitter", h.Host, h.Site, h.Role, h.HourLocal, h.HourLocal.AddHours(1), h.ByteShare, h.PacketShare, null, null, h.Packets, h.Bytes, null, h.Evidence,
        })
        .Concat(d.DosTargets.Select(t => new object?[]
        {
            "DoS target", t.Destination, t.Site, "destination", t.FirstSeenLocal, t.LastSeenLocal, null, null, t.DistinctSources, t.Flows, t.Packets, null,
            Math.Round(t.PeakPacketsPerSecond, 1), t.Evidence,
        }))
        .Concat(d.MailSenders.Select(m => new object?[]
        {
            "mail fan-out", m.Source, m.Site, "source", m.FirstSeenLocal, m.LastSeenLocal, null, null, m.DistinctDestinations, m.Flows, null, null, null, m.Evidence,
        })));
}
