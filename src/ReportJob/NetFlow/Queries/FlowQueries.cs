using System.Data.Common;
using Dapper;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

/// <summary>
/// Reads the aggregates over a UTC window [from, to) of bucket starts (null = unbounded). Rows are summed per key, so
/// several files covering one bucket add up. Host and conversation rankings come from each file's top N per bucket:
/// a key that never made a file's top N is counted only in "(other)", so the global ranking is an approximation
/// (exact while every bucket of every file holds at most N keys).
/// </summary>
public sealed partial class FlowQueries(IDbConnectionFactory factory)
{
    private const string Other = FlowAggregator.Other;

    public async Task<FlowSummary> SummaryAsync(DateTime? fromUtc, DateTime? toUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var exporters = (await connection.QueryAsync<ExporterRow>(new CommandDefinition(
            $"""
            SELECT exporter AS Exporter, {Sum("flows")} AS Flows, {Sum("packets")} AS Packets, {Sum("bytes")} AS Bytes,
                   {Sum("raw_packets")} AS RawPackets, {Sum("raw_bytes")} AS RawBytes, {Sum("sampled_flows")} AS SampledFlows,
                   {Sum("skipped_flows")} AS SkippedFlows, MIN(bucket_start) AS FirstBucket, MAX(bucket_start) AS LastBucket
            FROM flow_exporter WHERE {Window("bucket_start")}
            GROUP BY exporter ORDER BY exporter
            """, Args(fromUtc, toUtc), cancellationToken: cancellationToken))).AsList();
        var list = exporters.Select(e => new FlowExporterTotal(e.Exporter, e.Flows, e.Packets, e.Bytes, e.RawPackets, e.RawBytes, e.SampledFlows, e.SkippedFlows)).ToList();
        var total = new FlowExporterTotal("total", list.Sum(e => e.Flows), list.Sum(e => e.Packets), list.Sum(e => e.Bytes),
            list.Sum(e => e.RawPackets), list.Sum(e => e.RawBytes), list.Sum(e => e.SampledFlows), list.Sum(e => e.SkippedFlows));
        DateTime? first = exporters.Count == 0 ? null : DbTime.Utc(exporters.Min(e => e.FirstBucket));
        DateTime? last = exporters.Count == 0 ? null : DbTime.Utc(exporters.Max(e => e.LastBucket));
        return new FlowSummary(first, last, total, list, await QualityAsync(connection, fromUtc, toUtc, cancellationToken));
    }

    public async Task<FlowQualityTotal> QualityAsync(DateTime? fromUtc, DateTime? toUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await QualityAsync(connection, fromUtc, toUtc, cancellationToken);
    }

    public async Task<IReadOnlyList<FlowTopRow>> TopAsync(FlowTopBy by, FlowMetric metric, DateTime? fromUtc, DateTime? toUtc, int limit, CancellationToken cancellationToken)
    {
        var order = metric switch
        {
            FlowMetric.Packets => "Packets DESC, Bytes DESC",
            FlowMetric.Flows => "Flows DESC, Bytes DESC",
            _ => "Bytes DESC, Packets DESC",
        };
        var sums = $"{Sum("flows")} AS Flows, {Sum("packets")} AS Packets, {Sum("bytes")} AS Bytes";
        var where = Window("bucket_start");
        var sql = by switch
        {
            FlowTopBy.Src or FlowTopBy.Dst =>
                $"SELECT address AS K1, {sums} FROM flow_host WHERE {where} AND role = @role AND address <> '{Other}' GROUP BY address ORDER BY {order}, address",
            FlowTopBy.Conversation =>
                $"""
                SELECT source AS K1, destination AS K2, protocol AS P, service_port AS Port, {sums} FROM flow_conversation
                WHERE {where} AND source <> '{Other}' GROUP BY source, destination, protocol, service_port ORDER BY {order}, source, destination, protocol, service_port
                """,
            FlowTopBy.Port =>
                $"SELECT protocol AS P, port AS Port, {sums} FROM flow_port WHERE {where} AND port >= 0 GROUP BY protocol, port ORDER BY {order}, protocol, port",
            FlowTopBy.Proto =>
                $"SELECT protocol AS P, {sums} FROM flow_port WHERE {where} GROUP BY protocol ORDER BY {order}, protocol",
            _ => $"""
                SELECT site AS K1, {Sum("flows_in")} + {Sum("flows_out")} AS Flows, {Sum("packets_in")} + {Sum("packets_out")} AS Packets,
                       {Sum("bytes_in")} + {Sum("bytes_out")} AS Bytes, {Sum("bytes_in")} AS BytesIn, {Sum("bytes_out")} AS BytesOut
                FROM flow_site WHERE {where} GROUP BY site ORDER BY {order}, site
                """,
        };
        var args = Args(fromUtc, toUtc);
        args.Add("role", by == FlowTopBy.Dst ? 1 : 0);
        args.Add("limit", limit);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TopRow>(new CommandDefinition(sql + Limit(), args, cancellationToken: cancellationToken));
        return rows.Select(r => new FlowTopRow(by switch
        {
            FlowTopBy.Conversation => $"{r.K1} -> {r.K2} {ProtocolNames.PortLabel(r.P, r.Port)}",
            FlowTopBy.Port => ProtocolNames.PortLabel(r.P, r.Port),
            FlowTopBy.Proto => ProtocolNames.Name(r.P),
            _ => r.K1 ?? "",
        }, r.Flows, r.Packets, r.Bytes, by == FlowTopBy.Site ? r.BytesIn : null, by == FlowTopBy.Site ? r.BytesOut : null)).ToList();
    }

    /// <summary>Bytes in and out per site over the window (in = to hosts of the site, out = from them).</summary>
    public async Task<IReadOnlyDictionary<string, (long BytesIn, long BytesOut)>> SiteBytesAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var rows = await TopAsync(FlowTopBy.Site, FlowMetric.Bytes, fromUtc, toUtc, int.MaxValue, cancellationToken);
        return rows.ToDictionary(r => r.Key, r => (r.BytesIn ?? 0, r.BytesOut ?? 0), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<ExporterSeries>> ExporterSeriesAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeriesRow>(new CommandDefinition(
            $"SELECT exporter AS Exporter, bucket_start AS Bucket, {Sum("bytes")} AS Bytes FROM flow_exporter WHERE {Window("bucket_start")} GROUP BY exporter, bucket_start",
            Args(fromUtc, toUtc), cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.Exporter, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ExporterSeries(g.Key, g.ToDictionary(r => DbTime.Utc(r.Bucket), r => r.Bytes)))
            .ToList();
    }

    /// <summary>
    /// The traffic of the given hosts over the window, from the host and conversation tables. A host counts where a
    /// file's top N per bucket kept it (see the class summary); every host that never made one is absent from the result.
    /// </summary>
    public async Task<IReadOnlyList<HostTraffic>> HostTrafficAsync(IReadOnlyCollection<string> addresses, DateTime fromUtc, DateTime toUtc, int servicePorts, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            return [];
        }

        var args = Args(fromUtc, toUtc);
        args.Add("addresses", addresses.Distinct(StringComparer.Ordinal).ToArray());
        // Dapper expands "IN @list" into one parameter per item, except for Npgsql, which takes the array itself.
        var among = factory.Provider == StorageProvider.Postgres ? "= ANY(@addresses)" : "IN @addresses";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var hosts = (await connection.QueryAsync<TopRow>(new CommandDefinition(
            $"SELECT address AS K1, role AS P, {Sum("flows")} AS Flows, {Sum("bytes")} AS Bytes FROM flow_host WHERE {Window("bucket_start")} AND address {among} GROUP BY address, role",
            args, cancellationToken: cancellationToken))).AsList();
        var ports = (await connection.QueryAsync<TopRow>(new CommandDefinition(
            $"""
            SELECT source AS K1, protocol AS P, service_port AS Port, {Sum("flows")} AS Flows, {Sum("bytes")} AS Bytes FROM flow_conversation
            WHERE {Window("bucket_start")} AND source {among} GROUP BY source, protocol, service_port
            """, args, cancellationToken: cancellationToken))).AsList();
        var portsOf = ports.GroupBy(r => r.K1!, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)g.OrderByDescending(r => r.Bytes).ThenBy(r => r.P).ThenBy(r => r.Port).Take(servicePorts).Select(r => ProtocolNames.PortLabel(r.P, r.Port)).ToList(),
            StringComparer.Ordinal);
        return hosts.GroupBy(r => r.K1!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new HostTraffic(
            g.Key,
            g.Where(r => r.P == 1).Sum(r => r.Bytes),
            g.Where(r => r.P == 0).Sum(r => r.Bytes),
            g.Where(r => r.P == 1).Sum(r => r.Flows),
            g.Where(r => r.P == 0).Sum(r => r.Flows),
            portsOf.GetValueOrDefault(g.Key) ?? [])).ToList();
    }

    private static async Task<FlowQualityTotal> QualityAsync(DbConnection connection, DateTime? fromUtc, DateTime? toUtc, CancellationToken cancellationToken)
    {
        // A file counts for the window when its exports overlap it.
        var where = "last_export >= @from AND first_export < @to";
        var args = Args(fromUtc, toUtc);
        var q = await connection.QuerySingleAsync<QualityRow>(new CommandDefinition(
            $"""
            SELECT CAST(COUNT(DISTINCT file_sha256) AS bigint) AS Files, {Sum("flow_records")} AS FlowRecords, {Sum("sequence_lost")} AS SequenceLost,
                   {Sum("missing_template_sets")} AS MissingTemplateSets, {Sum("undecodable_sets")} AS UndecodableSets,
                   {Sum("trailing_bytes")} AS TrailingBytes, {Sum("zero_export_time")} AS ZeroExportTime, {Sum("short_counters")} AS ShortCounters,
                   {Sum("unpadded_sets")} AS UnpaddedSets,
                   CAST(COUNT(DISTINCT CASE WHEN capture_cut_at IS NOT NULL THEN file_sha256 END) AS bigint) AS CutFiles
            FROM flow_quality WHERE {where}
            """, args, cancellationToken: cancellationToken));
        var sampling = await connection.QueryAsync<SamplingRow>(new CommandDefinition(
            $"""
            SELECT exporter AS Exporter, CAST(MIN(sampling_min) AS bigint) AS Low, CAST(MAX(sampling_max) AS bigint) AS High, {Sum("flow_records")} AS Records
            FROM flow_quality WHERE {where} AND sampling_max > 1 GROUP BY exporter ORDER BY exporter
            """, args, cancellationToken: cancellationToken));
        var notes = sampling.Select(s => s.Low == s.High
            ? FormattableString.Invariant($"{s.Exporter}: 1 in {s.High} (bytes and packets scaled by {s.High})")
            : FormattableString.Invariant($"{s.Exporter}: 1 in {s.Low} to 1 in {s.High} (bytes and packets scaled per record)")).ToList();
        return new FlowQualityTotal(q.Files, q.FlowRecords, q.SequenceLost, q.MissingTemplateSets, q.UndecodableSets, notes)
        {
            TrailingBytes = q.TrailingBytes,
            ZeroExportTime = q.ZeroExportTime,
            ShortCounters = q.ShortCounters,
            UnpaddedSets = q.UnpaddedSets,
            CutFiles = q.CutFiles,
        };
    }

    private static DateTime Min(DateTime a, DateTime b) => a <= b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a >= b ? a : b;

    private static string Sum(string column) => $"CAST(COALESCE(SUM({column}), 0) AS bigint)";

    private static string Window(string column) => $"{column} >= @from AND {column} < @to";

    // An open bound becomes a far date: a typed NULL parameter is awkward in PostgreSQL ("could not determine data type").
    private static DynamicParameters Args(DateTime? fromUtc, DateTime? toUtc)
    {
        var p = new DynamicParameters();
        p.Add("from", DbTime.Utc(fromUtc ?? new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        p.Add("to", DbTime.Utc(toUtc ?? new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc)));
        return p;
    }

    private string Limit() => factory.Provider == StorageProvider.SqlServer ? " OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY" : " LIMIT @limit";

    private sealed class ExporterRow
    {
        public string Exporter { get; set; } = "";

        public long Flows { get; set; }

        public long Packets { get; set; }

        public long Bytes { get; set; }

        public long RawPackets { get; set; }

        public long RawBytes { get; set; }

        public long SampledFlows { get; set; }

        public long SkippedFlows { get; set; }

        public DateTime FirstBucket { get; set; }

        public DateTime LastBucket { get; set; }
    }

    private sealed class TopRow
    {
        public string? K1 { get; set; }

        public string? K2 { get; set; }

        public int P { get; set; }

        public int Port { get; set; }

        public long Flows { get; set; }

        public long Packets { get; set; }

        public long Bytes { get; set; }

        public long BytesIn { get; set; }

        public long BytesOut { get; set; }
    }

    private sealed class SeriesRow
    {
        public string Exporter { get; set; } = "";

        public DateTime Bucket { get; set; }

        public long Bytes { get; set; }
    }

    private sealed class QualityRow
    {
        public long Files { get; set; }

        public long FlowRecords { get; set; }

        public long SequenceLost { get; set; }

        public long MissingTemplateSets { get; set; }

        public long UndecodableSets { get; set; }

        public long TrailingBytes { get; set; }

        public long ZeroExportTime { get; set; }

        public long ShortCounters { get; set; }

        public long UnpaddedSets { get; set; }

        public long CutFiles { get; set; }
    }

    private sealed class SamplingRow
    {
        public string Exporter { get; set; } = "";

        public long Low { get; set; }

        public long High { get; set; }

        public long Records { get; set; }
    }
}
