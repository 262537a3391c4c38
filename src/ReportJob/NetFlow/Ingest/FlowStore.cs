using System.Data.Common;
using Dapper;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

/// <summary>Writes flow aggregates, quality rows and templates inside the caller's (the file's) transaction.</summary>
internal sealed class FlowStore(BulkInserter bulk)
{
    private static readonly BulkColumn[] ExporterColumns =
    [
        new("bucket_start", BulkType.DateTime), new("exporter", BulkType.Text), new("flows", BulkType.Int64), new("packets", BulkType.Int64),
        new("bytes", BulkType.Int64), new("raw_packets", BulkType.Int64), new("raw_bytes", BulkType.Int64), new("sampled_flows", BulkType.Int64),
        new("skipped_flows", BulkType.Int64),
    ];

    private static readonly BulkColumn[] HostColumns =
    [
        new("bucket_start", BulkType.DateTime), new("role", BulkType.Int32), new("address", BulkType.Text),
        new("flows", BulkType.Int64), new("packets", BulkType.Int64), new("bytes", BulkType.Int64),
    ];

    private static readonly BulkColumn[] ConversationColumns =
    [
        new("bucket_start", BulkType.DateTime), new("source", BulkType.Text), new("destination", BulkType.Text), new("protocol", BulkType.Int32),
        new("service_port", BulkType.Int32), new("flows", BulkType.Int64), new("packets", BulkType.Int64), new("bytes", BulkType.Int64),
    ];

    private static readonly BulkColumn[] PortColumns =
    [
        new("bucket_start", BulkType.DateTime), new("protocol", BulkType.Int32), new("port", BulkType.Int32),
        new("flows", BulkType.Int64), new("packets", BulkType.Int64), new("bytes", BulkType.Int64),
    ];

    private static readonly BulkColumn[] SiteColumns =
    [
        new("bucket_start", BulkType.DateTime), new("site", BulkType.Text),
        new("flows_in", BulkType.Int64), new("packets_in", BulkType.Int64), new("bytes_in", BulkType.Int64),
        new("flows_out", BulkType.Int64), new("packets_out", BulkType.Int64), new("bytes_out", BulkType.Int64),
    ];

    private static readonly BulkColumn[] ScanColumns =
    [
        new("hour_start", BulkType.DateTime), new("source", BulkType.Text), new("flows", BulkType.Int64),
        new("first_seen", BulkType.DateTime), new("last_seen", BulkType.DateTime), new("hosts", BulkType.Binary), new("ports", BulkType.Binary),
    ];

    private static readonly BulkColumn[] PeerColumns =
    [
        new("kind", BulkType.Text), new("hour_start", BulkType.DateTime), new("address", BulkType.Text), new("flows", BulkType.Int64),
        new("packets", BulkType.Int64), new("first_seen", BulkType.DateTime), new("last_seen", BulkType.DateTime), new("peers", BulkType.Int32),
        new("peer_list", BulkType.Binary),
    ];

    private static readonly BulkColumn[] QualityColumns =
    [
        new("file_sha256", BulkType.Text), new("file_name", BulkType.Text), new("exporter", BulkType.Text), new("version", BulkType.Int32),
        new("observation_domain", BulkType.Int64), new("first_export", BulkType.DateTime), new("last_export", BulkType.DateTime),
        new("datagrams", BulkType.Int64), new("flow_records", BulkType.Int64), new("options_records", BulkType.Int64),
        new("sequence_gaps", BulkType.Int64), new("sequence_lost", BulkType.Int64), new("missing_template_sets", BulkType.Int64),
        new("undecodable_sets", BulkType.Int64), new("sampling_min", BulkType.Int64), new("sampling_max", BulkType.Int64),
        new("direction_policy", BulkType.Text), new("skipped_flows", BulkType.Int64), new("trailing_bytes", BulkType.Int64),
        new("zero_export_time", BulkType.Int64), new("short_counters", BulkType.Int64), new("unpadded_sets", BulkType.Int64),
        new("capture_cut_at", BulkType.Int64),
    ];

    public async Task<long> WriteAsync(DbConnection connection, DbTransaction tx, FlowBatch batch, CancellationToken cancellationToken)
    {
        long rows = 0;
        rows += await bulk.InsertAsync(connection, tx, "flow_exporter", ExporterColumns, batch.Exporters, static (in FlowExporterRow r, BulkValues v) =>
        {
            v.DateTime(r.BucketStart);
            v.Text(r.Exporter);
            v.Int64(r.Flows);
            v.Int64(r.Packets);
            v.Int64(r.Bytes);
            v.Int64(r.RawPackets);
            v.Int64(r.RawBytes);
            v.Int64(r.SampledFlows);
            v.Int64(r.SkippedFlows);
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_host", HostColumns, batch.Hosts, static (in FlowHostRow r, BulkValues v) =>
        {
            v.DateTime(r.BucketStart);
            v.Int32(r.Role);
            Address(v, r.Address, r.IsOther);
            v.Int64(r.Flows);
            v.Int64(r.Packets);
            v.Int64(r.Bytes);
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_conversation", ConversationColumns, batch.Conversations, static (in FlowConversationRow r, BulkValues v) =>
        {
            v.DateTime(r.BucketStart);
            Address(v, r.Source, r.IsOther);
            Address(v, r.Destination, r.IsOther);
            v.Int32(r.Protocol);
            v.Int32(r.ServicePort);
            v.Int64(r.Flows);
            v.Int64(r.Packets);
            v.Int64(r.Bytes);
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_port", PortColumns, batch.Ports, static (in FlowPortRow r, BulkValues v) =>
        {
            v.DateTime(r.BucketStart);
            v.Int32(r.Protocol);
            v.Int32(r.Port);
            v.Int64(r.Flows);
            v.Int64(r.Packets);
            v.Int64(r.Bytes);
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_site", SiteColumns, batch.Sites, static (in FlowSiteRow r, BulkValues v) =>
        {
            v.DateTime(r.BucketStart);
            v.Text(r.Site);
            v.Int64(r.In.Flows);
            v.Int64(r.In.Packets);
            v.Int64(r.In.Bytes);
            v.Int64(r.Out.Flows);
            v.Int64(r.Out.Packets);
            v.Int64(r.Out.Bytes);
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_scan_evidence", ScanColumns, batch.ScanEvidence, static (in FlowScanEvidenceRow r, BulkValues v) =>
        {
            v.DateTime(r.HourStart);
            v.Text(r.Source);
            v.Int64(r.Flows);
            v.DateTime(r.FirstSeen);
            v.DateTime(r.LastSeen);
            v.Blob(r.Hosts);
            v.Blob(r.Ports);
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_peer_evidence", PeerColumns, batch.PeerEvidence, static (in FlowPeerEvidenceRow r, BulkValues v) =>
        {
            v.Text(r.Kind);
            v.DateTime(r.HourStart);
            v.Text(r.Address);
            v.Int64(r.Flows);
            v.Int64(r.Packets);
            v.DateTime(r.FirstSeen);
            v.DateTime(r.LastSeen);
            v.Int32(r.Peers);
            v.Blob(r.PeerList);
        }, cancellationToken);
        return rows;
    }

    public Task<long> WriteQualityAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<FlowQualityRow> rows, CancellationToken cancellationToken) =>
        bulk.InsertAsync(connection, tx, "flow_quality", QualityColumns, rows, static (in FlowQualityRow r, BulkValues v) =>
        {
            v.Text(r.FileSha256);
            v.Text(r.FileName);
            v.Text(r.Exporter);
            v.Int32(r.Version);
            v.Int64(r.ObservationDomain);
            v.DateTime(r.FirstExport);
            v.DateTime(r.LastExport);
            v.Int64(r.Datagrams);
            v.Int64(r.FlowRecords);
            v.Int64(r.OptionsRecords);
            v.Int64(r.SequenceGaps);
            v.Int64(r.SequenceLost);
            v.Int64(r.MissingTemplateSets);
            v.Int64(r.UndecodableSets);
            v.Int64(r.SamplingMin);
            v.Int64(r.SamplingMax);
            v.Text(r.DirectionPolicy);
            v.Int64(r.SkippedFlows);
            v.Int64(r.TrailingBytes);
            v.Int64(r.ZeroExportTime);
            v.Int64(r.ShortCounters);
            v.Int64(r.UnpaddedSets);
            v.Int64(r.CaptureCutAt);
        }, cancellationToken);

    /// <summary>An address as text (UTF-8, no string), or <see cref="FlowAggregator.Other"/> for an "other" row.</summary>
    private static void Address(BulkValues values, in FlowAddress address, bool isOther)
    {
        if (isOther)
        {
            values.Text(FlowAggregator.Other);
        }
        else
        {
            values.Text(address);
        }
    }

    /// <summary>
    /// Template snapshots of every exporter, oldest first: data records can only be decoded with their template
    /// (RFC 3954 §9, RFC 7011 §8), which an exporter re-sends only now and then, so a capture whose templates came in
    /// an earlier file still decodes.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> LoadTemplatesAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<byte[]>(new CommandDefinition(
            "SELECT snapshot FROM flow_template ORDER BY updated_at", transaction: tx, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Replaces the stored templates of these exporters.</summary>
    public static async Task SaveTemplatesAsync(DbConnection connection, DbTransaction tx, IReadOnlyDictionary<FlowAddress, byte[]> snapshots, DateTime nowUtc, CancellationToken cancellationToken)
    {
        foreach (var (exporter, snapshot) in snapshots)
        {
            var name = exporter.ToString();
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM flow_template WHERE exporter = @name", new { name }, tx, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO flow_template (exporter, snapshot, updated_at) VALUES (@name, @snapshot, @nowUtc)",
                new { name, snapshot, nowUtc }, tx, cancellationToken: cancellationToken));
        }
    }
}
