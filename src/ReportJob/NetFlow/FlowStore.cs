using System.Data.Common;
using Dapper;
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
        new("destination_port", BulkType.Int32), new("flows", BulkType.Int64), new("packets", BulkType.Int64), new("bytes", BulkType.Int64),
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

    private static readonly BulkColumn[] QualityColumns =
    [
        new("file_sha256", BulkType.Text), new("file_name", BulkType.Text), new("exporter", BulkType.Text), new("version", BulkType.Int32),
        new("observation_domain", BulkType.Int64), new("first_export", BulkType.DateTime), new("last_export", BulkType.DateTime),
        new("datagrams", BulkType.Int64), new("flow_records", BulkType.Int64), new("options_records", BulkType.Int64),
        new("sequence_gaps", BulkType.Int64), new("sequence_lost", BulkType.Int64), new("missing_template_sets", BulkType.Int64),
        new("undecodable_sets", BulkType.Int64), new("sampling_min", BulkType.Int64), new("sampling_max", BulkType.Int64),
        new("direction_policy", BulkType.Text), new("skipped_flows", BulkType.Int64),
    ];

    public async Task<long> WriteAsync(DbConnection connection, DbTransaction tx, FlowBatch batch, CancellationToken cancellationToken)
    {
        long rows = 0;
        rows += await bulk.InsertAsync(connection, tx, "flow_exporter", ExporterColumns, batch.Exporters, static (r, v) =>
        {
            v[0] = r.BucketStart;
            v[1] = r.Exporter;
            v[2] = r.Flows;
            v[3] = r.Packets;
            v[4] = r.Bytes;
            v[5] = r.RawPackets;
            v[6] = r.RawBytes;
            v[7] = r.SampledFlows;
            v[8] = r.SkippedFlows;
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_host", HostColumns, batch.Hosts, static (r, v) =>
        {
            v[0] = r.BucketStart;
            v[1] = r.Role;
            v[2] = r.Address;
            v[3] = r.Flows;
            v[4] = r.Packets;
            v[5] = r.Bytes;
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_conversation", ConversationColumns, batch.Conversations, static (r, v) =>
        {
            v[0] = r.BucketStart;
            v[1] = r.Source;
            v[2] = r.Destination;
            v[3] = r.Protocol;
            v[4] = r.DestinationPort;
            v[5] = r.Flows;
            v[6] = r.Packets;
            v[7] = r.Bytes;
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_port", PortColumns, batch.Ports, static (r, v) =>
        {
            v[0] = r.BucketStart;
            v[1] = r.Protocol;
            v[2] = r.Port;
            v[3] = r.Flows;
            v[4] = r.Packets;
            v[5] = r.Bytes;
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_site", SiteColumns, batch.Sites, static (r, v) =>
        {
            v[0] = r.BucketStart;
            v[1] = r.Site;
            v[2] = r.In.Flows;
            v[3] = r.In.Packets;
            v[4] = r.In.Bytes;
            v[5] = r.Out.Flows;
            v[6] = r.Out.Packets;
            v[7] = r.Out.Bytes;
        }, cancellationToken);
        rows += await bulk.InsertAsync(connection, tx, "flow_scan_evidence", ScanColumns, batch.ScanEvidence, static (r, v) =>
        {
            v[0] = r.HourStart;
            v[1] = r.Source;
            v[2] = r.Flows;
            v[3] = r.FirstSeen;
            v[4] = r.LastSeen;
            v[5] = r.Hosts;
            v[6] = r.Ports;
        }, cancellationToken);
        return rows;
    }

    public Task<long> WriteQualityAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<FlowQualityRow> rows, CancellationToken cancellationToken) =>
        bulk.InsertAsync(connection, tx, "flow_quality", QualityColumns, rows, static (r, v) =>
        {
            v[0] = r.FileSha256;
            v[1] = r.FileName;
            v[2] = r.Exporter;
            v[3] = r.Version;
            v[4] = r.ObservationDomain;
            v[5] = r.FirstExport;
            v[6] = r.LastExport;
            v[7] = r.Datagrams;
            v[8] = r.FlowRecords;
            v[9] = r.OptionsRecords;
            v[10] = r.SequenceGaps;
            v[11] = r.SequenceLost;
            v[12] = r.MissingTemplateSets;
            v[13] = r.UndecodableSets;
            v[14] = r.SamplingMin;
            v[15] = r.SamplingMax;
            v[16] = r.DirectionPolicy;
            v[17] = r.SkippedFlows;
        }, cancellationToken);

    /// <summary>Template snapshots of every exporter, oldest first (pitfall 11: a capture whose templates came in an earlier file still decodes).</summary>
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
