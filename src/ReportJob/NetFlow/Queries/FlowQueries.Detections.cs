using Dapper;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

/// <summary>The detections: scanners, heavy hitters, DoS targets and mail fan-out, each with its evidence.</summary>
public sealed partial class FlowQueries
{
    /// <summary>Most heavy hitters whose busiest conversations are looked up (one query each).</summary>
    private const int MaxHeavyHittersWithEvidence = 100;

    /// <summary>
    /// Sources whose probe-shaped flows (tiny, or TCP SYN without ACK) touched at least the thresholds of distinct ports or
    /// hosts in the window, busiest first.
    /// The packed evidence rows of each source (one per hour and file) are read in source order and their target lists
    /// united in memory, one source at a time.
    /// </summary>
    public async Task<IReadOnlyList<ScannerFinding>> ScannersAsync(DateTime? fromUtc, DateTime? toUtc, ScanOptions scan, int evidence, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<EvidenceRow>(
            $"""
            SELECT source AS Source, flows AS Flows, first_seen AS FirstSeen, last_seen AS LastSeen, hosts AS Hosts, ports AS Ports
            FROM flow_scan_evidence WHERE {Window("hour_start")} ORDER BY source
            """, Args(fromUtc, toUtc));
        var findings = new List<ScannerFinding>();
        string? source = null;
        var hosts = new Dictionary<FlowAddress, long>();
        var ports = new Dictionary<int, long>();
        long flows = 0;
        DateTime first = default, last = default;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (row.Source != source)
            {
                Finish();
                source = row.Source;
                flows = 0;
                first = DateTime.MaxValue;
                last = DateTime.MinValue;
            }

            flows += row.Flows;
            first = Min(first, DbTime.Utc(row.FirstSeen));
            last = Max(last, DbTime.Utc(row.LastSeen));
            ScanEvidence.AddHosts(row.Hosts, hosts);
            ScanEvidence.AddPorts(row.Ports, ports);
        }

        Finish();
        return findings.OrderByDescending(f => Math.Max(f.DistinctPorts, f.DistinctHosts)).ThenBy(f => f.Source, StringComparer.Ordinal).ToList();

        void Finish()
        {
            if (source is not null && (ports.Count >= scan.MinDistinctPorts || hosts.Count >= scan.MinDistinctHosts))
            {
                var topPorts = Busiest(ports, p => ProtocolNames.PortLabel(p >> 16, p & 0xFFFF), evidence);
                var topHosts = Busiest(hosts, h => h.ToString(), evidence);
                findings.Add(new ScannerFinding(source, ports.Count, hosts.Count, flows, first, last, topPorts, topHosts));
            }

            hosts.Clear();
            ports.Clear();
        }
    }

    /// <summary>
    /// Hosts whose share of an hour's bytes or packets, as source or as destination, reaches the threshold (with the
    /// floors that keep quiet hours out), largest share first. Shares come from <c>flow_host</c>: a host's row of a
    /// bucket is exact while it made that file's top N (<see cref="NetFlowOptions.TopN"/>), which a host with a large
    /// share does; the hour's totals include the "(other)" rows, so they are exact.
    /// </summary>
    public async Task<IReadOnlyList<HeavyHitterFinding>> HeavyHittersAsync(DateTime? fromUtc, DateTime? toUtc, HeavyHitterOptions options, int evidence, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var args = Args(fromUtc, toUtc);
        var totals = new Dictionary<(int Role, long Hour), (long Bytes, long Packets)>();
        foreach (var t in await connection.QueryAsync<HostBucketRow>(new CommandDefinition(
                     $"SELECT role AS Role, bucket_start AS Bucket, {Sum("bytes")} AS Bytes, {Sum("packets")} AS Packets FROM flow_host WHERE {Window("bucket_start")} GROUP BY role, bucket_start",
                     args, cancellationToken: cancellationToken)))
        {
            var key = (t.Role, HourOf(t.Bucket));
            var (bytes, packets) = totals.GetValueOrDefault(key);
            totals[key] = (bytes + t.Bytes, packets + t.Packets);
        }

        // One host at a time (rows ordered by host), its hours summed in a small table.
        var findings = new List<HeavyHitterFinding>();
        var hours = new SortedDictionary<long, (long Bytes, long Packets)>();
        (int Role, string Address)? current = null;
        var rows = connection.QueryUnbufferedAsync<HostBucketRow>(
            $"""
            SELECT role AS Role, address AS Address, bucket_start AS Bucket, {Sum("bytes")} AS Bytes, {Sum("packets")} AS Packets FROM flow_host
            WHERE {Window("bucket_start")} AND address <> '{Other}' GROUP BY role, address, bucket_start ORDER BY role, address
            """, args);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (current != (row.Role, row.Address))
            {
                Finish();
                current = (row.Role, row.Address);
            }

            var hour = HourOf(row.Bucket);
            var (bytes, packets) = hours.GetValueOrDefault(hour);
            hours[hour] = (bytes + row.Bytes, packets + row.Packets);
        }

        Finish();
        findings = findings.OrderByDescending(f => Math.Max(f.ByteShare, f.PacketShare)).ThenBy(f => f.HourUtc).ThenBy(f => f.Host, StringComparer.Ordinal).ToList();
        for (var i = 0; i < Math.Min(findings.Count, MaxHeavyHittersWithEvidence); i++)
        {
            findings[i] = findings[i] with { TopPeers = await BusiestPeersAsync(connection, findings[i], evidence, cancellationToken) };
        }

        return findings;

        void Finish()
        {
            if (current is { } host)
            {
                foreach (var (hour, (bytes, packets)) in hours)
                {
                    var (allBytes, allPackets) = totals.GetValueOrDefault((host.Role, hour));
                    var byteShare = allBytes > 0 ? (double)bytes / allBytes : 0;
                    var packetShare = allPackets > 0 ? (double)packets / allPackets : 0;
                    if ((byteShare >= options.MinShare && bytes >= options.MinBytes) || (packetShare >= options.MinShare && packets >= options.MinPackets))
                    {
                        findings.Add(new HeavyHitterFinding(host.Address, host.Role == 0 ? FlowRoles.Source : FlowRoles.Destination, new DateTime(hour, DateTimeKind.Utc),
                            bytes, packets, byteShare, packetShare, []));
                    }
                }
            }

            hours.Clear();
        }
    }

    /// <summary>
    /// Destinations of probe-shaped flows from at least <see cref="DosOptions.MinSources"/> distinct sources or with at
    /// least <see cref="DosOptions.MinPackets"/> packets in the window, most sources first.
    /// </summary>
    public async Task<IReadOnlyList<DosTargetFinding>> DosTargetsAsync(DateTime? fromUtc, DateTime? toUtc, DosOptions options, int evidence, CancellationToken cancellationToken) =>
        (await PeerEvidenceAsync(PeerEvidenceKind.DosTarget, fromUtc, toUtc, evidence, cancellationToken))
        .Where(p => p.DistinctPeers >= options.MinSources || p.Packets >= options.MinPackets)
        .Select(p => new DosTargetFinding(p.Address, p.DistinctPeers, p.Flows, p.Packets, p.PeakPacketsPerSecond, p.First, p.Last, p.TopPeers))
        .OrderByDescending(f => f.DistinctSources).ThenByDescending(f => f.Packets).ThenBy(f => f.Destination, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Sources of SMTP flows to at least <see cref="MailFanOutOptions.MinDestinations"/> distinct destinations in the
    /// window, except the allowed mail servers, most destinations first.
    /// </summary>
    public async Task<IReadOnlyList<MailSenderFinding>> MailSendersAsync(DateTime? fromUtc, DateTime? toUtc, MailFanOutOptions options, int evidence, CancellationToken cancellationToken)
    {
        var allowed = new AddressSet(options.AllowedSources);
        return (await PeerEvidenceAsync(PeerEvidenceKind.MailSender, fromUtc, toUtc, evidence, cancellationToken))
            .Where(p => p.DistinctPeers >= options.MinDestinations && !allowed.Contains(p.Address))
            .Select(p => new MailSenderFinding(p.Address, p.DistinctPeers, p.Flows, p.First, p.Last, p.TopPeers))
            .OrderByDescending(f => f.DistinctDestinations).ThenBy(f => f.Source, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The <c>flow_peer_evidence</c> rows of one kind in the window, per address: their peer lists united (the
    /// distinct peers are at least the most any one row saw), flows, packets, time span and the highest rate of a row.
    /// Rows are read in address order, one address at a time.
    /// </summary>
    private async Task<List<PeerTotal>> PeerEvidenceAsync(string kind, DateTime? fromUtc, DateTime? toUtc, int evidence, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var args = Args(fromUtc, toUtc);
        args.Add("kind", kind);
        var rows = connection.QueryUnbufferedAsync<PeerRow>(
            $"""
            SELECT address AS Address, flows AS Flows, packets AS Packets, first_seen AS FirstSeen, last_seen AS LastSeen, peers AS Peers, peer_list AS PeerList
            FROM flow_peer_evidence WHERE kind = @kind AND {Window("hour_start")} ORDER BY address
            """, args);
        var totals = new List<PeerTotal>();
        var peers = new Dictionary<FlowAddress, long>();
        PeerTotal? current = null;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (current?.Address != row.Address)
            {
                Finish();
                current = new PeerTotal(row.Address);
            }

            var (first, last) = (DbTime.Utc(row.FirstSeen), DbTime.Utc(row.LastSeen));
            current.Flows += row.Flows;
            current.Packets += row.Packets;
            current.First = current.First == default || first < current.First ? first : current.First;
            current.Last = last > current.Last ? last : current.Last;
            current.DistinctPeers = Math.Max(current.DistinctPeers, row.Peers);
            current.PeakPacketsPerSecond = Math.Max(current.PeakPacketsPerSecond, row.Packets / Math.Max(1.0, (last - first).TotalSeconds));
            ScanEvidence.AddHosts(row.PeerList, peers);
        }

        Finish();
        return totals;

        void Finish()
        {
            if (current is not null)
            {
                current.DistinctPeers = Math.Max(current.DistinctPeers, peers.Count);
                current.TopPeers = Busiest(peers, h => h.ToString(), evidence);
                totals.Add(current);
            }

            peers.Clear();
        }
    }

    /// <summary>The busiest conversations of a heavy hitter's hour: "peer protocol/service port", most bytes first.</summary>
    private async Task<IReadOnlyList<string>> BusiestPeersAsync(System.Data.Common.DbConnection connection, HeavyHitterFinding f, int evidence, CancellationToken cancellationToken)
    {
        var (self, peer) = f.Role == FlowRoles.Source ? ("source", "destination") : ("destination", "source");
        var args = Args(f.HourUtc, f.HourUtc.AddHours(1));
        args.Add("host", f.Host);
        args.Add("limit", evidence);
        var rows = await connection.QueryAsync<PeerPortRow>(new CommandDefinition(
            $"""
            SELECT {peer} AS Peer, protocol AS P, service_port AS Port, {Sum("bytes")} AS Bytes FROM flow_conversation
            WHERE {Window("bucket_start")} AND {self} = @host AND {peer} <> '{Other}'
            GROUP BY {peer}, protocol, service_port ORDER BY Bytes DESC, {peer}, protocol, service_port{Limit()}
            """, args, cancellationToken: cancellationToken));
        return rows.Select(r => $"{r.Peer} {ProtocolNames.PortLabel(r.P, r.Port)}").ToList();
    }

    /// <summary>The <paramref name="count"/> busiest of a target list, then by label (as text, the order evidence is shown in).</summary>
    private static List<string> Busiest<TKey>(Dictionary<TKey, long> targets, Func<TKey, string> label, int count)
        where TKey : notnull =>
        targets.Select(t => (Label: label(t.Key), Flows: t.Value))
            .OrderByDescending(t => t.Flows).ThenBy(t => t.Label, StringComparer.Ordinal).Take(count).Select(t => t.Label).ToList();

    private static long HourOf(DateTime bucket)
    {
        var ticks = DbTime.Utc(bucket).Ticks;
        return ticks - (ticks % TimeSpan.TicksPerHour);
    }

    private sealed class EvidenceRow
    {
        public string Source { get; set; } = "";

        public long Flows { get; set; }

        public DateTime FirstSeen { get; set; }

        public DateTime LastSeen { get; set; }

        public byte[] Hosts { get; set; } = [];

        public byte[] Ports { get; set; } = [];
    }

    private sealed class HostBucketRow
    {
        public int Role { get; set; }

        public string Address { get; set; } = "";

        public DateTime Bucket { get; set; }

        public long Bytes { get; set; }

        public long Packets { get; set; }
    }

    private sealed class PeerRow
    {
        public string Address { get; set; } = "";

        public long Flows { get; set; }

        public long Packets { get; set; }

        public DateTime FirstSeen { get; set; }

        public DateTime LastSeen { get; set; }

        public int Peers { get; set; }

        public byte[] PeerList { get; set; } = [];
    }

    private sealed class PeerPortRow
    {
        public string Peer { get; set; } = "";

        public int P { get; set; }

        public int Port { get; set; }

        public long Bytes { get; set; }
    }

    /// <summary>One address's peer evidence over the window.</summary>
    private sealed class PeerTotal(string address)
    {
        public string Address { get; } = address;

        public long Flows { get; set; }

        public long Packets { get; set; }

        public DateTime First { get; set; }

        public DateTime Last { get; set; }

        public int DistinctPeers { get; set; }

        public double PeakPacketsPerSecond { get; set; }

        public IReadOnlyList<string> TopPeers { get; set; } = [];
    }
}
