using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// A row of <c>flow_peer_evidence</c>: one address's flows of one kind (<see cref="PeerEvidenceKind"/>) in one hour of
/// one file: its distinct peers (<c>Peers</c>, counted before the cap) and the busiest <c>limit</c> of them with the flows
/// to or from each, packed as <see cref="ScanEvidence.PackHosts"/> does.
/// </summary>
internal sealed record FlowPeerEvidenceRow(string Kind, DateTime HourStart, string Address, long Flows, long Packets, DateTime FirstSeen, DateTime LastSeen, int Peers, byte[] PeerList)
{
    public static FlowPeerEvidenceRow Of(string kind, DateTime hour, FlowAddress address, in PeerSummary summary, List<(FlowAddress Peer, long Flows)> peers, int limit)
    {
        var distinct = peers.Count;
        var kept = distinct <= limit
            ? peers
            : peers.OrderByDescending(p => p.Flows).ThenBy(p => p.Peer.High).ThenBy(p => p.Peer.Low).Take(limit).ToList();
        return new FlowPeerEvidenceRow(kind, hour, address.ToString(), summary.Flows, summary.Packets, new DateTime(summary.FirstTicks, DateTimeKind.Utc),
            new DateTime(summary.LastTicks, DateTimeKind.Utc), distinct, ScanEvidence.PackHosts(kept));
    }
}
