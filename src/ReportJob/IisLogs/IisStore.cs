using System.Data.Common;
using System.Globalization;
using Dapper;
using ReportJob.Storage;

namespace ReportJob.IisLogs;

/// <summary>
/// Adds aggregate batches to the IIS tables, inside the caller's transaction: each batch is bulk-inserted into a
/// temporary staging table (the provider's fastest path) and merged from there with one upsert per table that adds
/// the counts. Also reads and writes how far each log was read.
/// </summary>
internal sealed class IisStore(IDbConnectionFactory factory, BulkInserter bulk)
{
    private static readonly StageTable ClientTable = new(
        "iis_client_day",
        "iis_stage_client",
        ["day", "client"],
        ["requests", "status_401", "status_403", "status_5xx", "agents_other", "users_other"],
        ["bytes_sent", "bytes_received"],
        null);

    private static readonly StageTable ProtocolTable = new("iis_client_protocol_day", "iis_stage_protocol", ["day", "client", "protocol"], ["requests"], [], "varchar(32)");

    private static readonly StageTable AgentTable = new("iis_client_agent_day", "iis_stage_agent", ["day", "client", "user_agent"], ["requests"], [], "nvarchar(400) COLLATE Latin1_General_100_BIN2");

    private static readonly StageTable UserTable = new("iis_client_user_day", "iis_stage_user", ["day", "client", "user_name"], ["requests"], [], "nvarchar(256) COLLATE Latin1_General_100_BIN2");

    public StorageProvider Provider => factory.Provider;

    /// <summary>The staging tables (for the test that parses every SQL Server text: their upserts follow a bulk copy).</summary>
    internal static IReadOnlyList<StageTable> StageTables => [ClientTable, ProtocolTable, AgentTable, UserTable];

    public async Task MergeAsync(DbConnection connection, DbTransaction tx, IisAggregateBatch batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        await StageAndMergeAsync(connection, tx, ClientTable, batch.Clients, static (in IisClientRow r, BulkValues v) =>
        {
            v.Text(Day(r.Day));
            v.Text(r.Client);
            v.Int64(r.Requests);
            v.Int64(r.Status401);
            v.Int64(r.Status403);
            v.Int64(r.Status5xx);
            v.Int64(r.AgentsOther);
            v.Int64(r.UsersOther);
            v.Int64(r.BytesSent);
            v.Int64(r.BytesReceived);
        }, cancellationToken);
        await StageAndMergeAsync(connection, tx, ProtocolTable, batch.Protocols, FillDetail, cancellationToken);
        await StageAndMergeAsync(connection, tx, AgentTable, batch.UserAgents, FillDetail, cancellationToken);
        await StageAndMergeAsync(connection, tx, UserTable, batch.Users, FillDetail, cancellationToken);
    }

    public async Task<IisLogFileState?> FindFileAsync(DbConnection connection, DbTransaction tx, string fileKey, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FileRow>(new CommandDefinition(
            "SELECT file_key AS FileKey, file_name AS FileName, content_length AS ContentLength, content_sha256 AS ContentSha256, header AS Header FROM iis_log_file WHERE file_key = @fileKey",
            new { fileKey }, tx, cancellationToken: cancellationToken));
        return row is null ? null : new IisLogFileState(row.FileKey, row.FileName, row.ContentLength, row.ContentSha256, row.Header);
    }

    /// <summary>
    /// Records how far the log is now read. Continuing from <paramref name="previousLength"/> only succeeds if no one
    /// else moved it meanwhile (a concurrent import of the same log fails instead of counting the tail twice).
    /// </summary>
    public async Task SaveFileAsync(DbConnection connection, DbTransaction tx, IisLogFileState state, long? previousLength, DateTime importedAt, CancellationToken cancellationToken)
    {
        var args = new { state.FileKey, state.FileName, state.ContentLength, state.ContentSha256, state.Header, importedAt, previousLength };
        if (previousLength is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO iis_log_file (file_key, file_name, content_length, content_sha256, header, imported_at) VALUES (@FileKey, @FileName, @ContentLength, @ContentSha256, @Header, @importedAt)",
                args, tx, cancellationToken: cancellationToken));
            return;
        }

        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE iis_log_file SET file_name = @FileName, content_length = @ContentLength, content_sha256 = @ContentSha256, header = @Header, imported_at = @importedAt
            WHERE file_key = @FileKey AND content_length = @previousLength
            """,
            args, tx, cancellationToken: cancellationToken));
        if (updated != 1)
        {
            throw new InvalidOperationException($"{state.FileName}: imported by another run at the same time; nothing of this run was kept");
        }
    }

    /// <summary>The day as staged: text, cast to a date by the merge where the column is one.</summary>
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void FillDetail(in IisDetailRow r, BulkValues v)
    {
        v.Text(Day(r.Day));
        v.Text(r.Client);
        v.Text(r.Name);
        v.Int64(r.Requests);
    }

    private async Task StageAndMergeAsync<T>(DbConnection connection, DbTransaction tx, StageTable table, IReadOnlyList<T> rows, BulkRowWriter<T> fill, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var provider = factory.Provider;
        var stage = provider == StorageProvider.SqlServer ? "#" + table.Stage : table.Stage;
        await ExecuteAsync(connection, tx, table.CreateStage(provider, stage), cancellationToken);
        await bulk.InsertAsync(connection, tx, stage, table.Columns, rows, fill, cancellationToken);
        await ExecuteAsync(connection, tx, table.Merge(provider, stage), cancellationToken);
        await ExecuteAsync(connection, tx, provider == StorageProvider.Sqlite ? $"DROP TABLE temp.{stage}" : $"DROP TABLE {stage}", cancellationToken);
    }

    private Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));

    private sealed class FileRow
    {
        public string FileKey { get; set; } = "";

        public string FileName { get; set; } = "";

        public long ContentLength { get; set; }

        public string ContentSha256 { get; set; } = "";

        public string Header { get; set; } = "";
    }

    /// <summary>
    /// A target table and its staging twin: key columns (day, client, and for detail tables a name), counts that are
    /// added, and counts that stay NULL until some file logged them (bytes).
    /// </summary>
    internal sealed class StageTable(string target, string stage, string[] keys, string[] sums, string[] nullableSums, string? sqlServerNameType)
    {
        public string Stage { get; } = stage;

        public BulkColumn[] Columns { get; } =
        [
            .. keys.Select(k => new BulkColumn(k, BulkType.Text)),
            .. sums.Concat(nullableSums).Select(c => new BulkColumn(c, BulkType.Int64)),
        ];

        private IEnumerable<string> AllColumns => keys.Concat(sums).Concat(nullableSums);

        public string CreateStage(StorageProvider provider, string name)
        {
            var columns = keys.Select(k => $"{k} {KeyType(provider, k)} NOT NULL")
                .Concat(sums.Select(c => $"{c} {CountType(provider)} NOT NULL"))
                .Concat(nullableSums.Select(c => $"{c} {CountType(provider)} NULL"));
            var temp = provider == StorageProvider.SqlServer ? "" : "TEMP ";
            return $"CREATE {temp}TABLE {name} ({string.Join(", ", columns)})";
        }

        public string Merge(StorageProvider provider, string name)
        {
            var day = SqlDay.Value(provider, "day");
            var select = $"SELECT {string.Join(", ", AllColumns.Select(c => c == "day" ? $"{day} AS day" : c))} FROM {name}";
            var columnList = string.Join(", ", AllColumns);
            if (provider == StorageProvider.SqlServer)
            {
                var updates = sums.Select(c => $"t.{c} = t.{c} + s.{c}").Concat(nullableSums.Select(c => $"t.{c} = COALESCE(t.{c} + s.{c}, t.{c}, s.{c})"));
                return $"""
                    MERGE {target} WITH (HOLDLOCK) AS t
                    USING ({select}) AS s
                    ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))}
                    WHEN MATCHED THEN UPDATE SET {string.Join(", ", updates)}
                    WHEN NOT MATCHED THEN INSERT ({columnList}) VALUES ({string.Join(", ", AllColumns.Select(c => "s." + c))});
                    """;
            }

            // SQLite needs the WHERE to tell the upsert's ON CONFLICT from a join's ON.
            var sets = sums.Select(c => $"{c} = {target}.{c} + excluded.{c}")
                .Concat(nullableSums.Select(c => $"{c} = COALESCE({target}.{c} + excluded.{c}, {target}.{c}, excluded.{c})"));
            return $"""
                INSERT INTO {target} ({columnList})
                {select} WHERE true
                ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", sets)}
                """;
        }

        private string KeyType(StorageProvider provider, string key) => provider switch
        {
            StorageProvider.SqlServer => key switch
            {
                "day" => "char(10)",
                "client" => "varchar(64)",
                _ => sqlServerNameType!,
            },
            StorageProvider.Postgres => "text",
            _ => "TEXT",
        };

        private static string CountType(StorageProvider provider) => provider == StorageProvider.Sqlite ? "INTEGER" : "bigint";
    }
}
