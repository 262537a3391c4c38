using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace ReportJob.Storage;

/// <summary>
/// The record of files already counted (CSV snapshots, captures, IIS logs), keyed by SHA-256 of the content.
/// The entry is written in the same transaction as the file's data, so a file is counted once or not at all.
/// </summary>
public sealed class IngestLedger(IDbConnectionFactory factory)
{
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    public async Task<LedgerEntry?> FindAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, sha256, cancellationToken);
    }

    public static async Task<LedgerEntry?> FindAsync(DbConnection connection, DbTransaction? transaction, string sha256, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<LedgerRow>(new CommandDefinition(
            "SELECT sha256 AS Sha256, kind AS Kind, file_name AS FileName, size_bytes AS SizeBytes, row_count AS Rows, ingested_at AS IngestedAt FROM ingest_ledger WHERE sha256 = @sha256",
            new { sha256 }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new LedgerEntry(row.Sha256, row.Kind, row.FileName, row.SizeBytes, row.Rows, DbTime.Utc(row.IngestedAt));
    }

    /// <summary>Records the file inside the caller's transaction (the primary key rejects a concurrent duplicate).</summary>
    public static Task RecordAsync(DbConnection connection, DbTransaction transaction, LedgerEntry entry, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ingest_ledger (sha256, kind, file_name, size_bytes, row_count, ingested_at) VALUES (@Sha256, @Kind, @FileName, @SizeBytes, @RowCount, @IngestedAt)",
            entry, transaction, cancellationToken: cancellationToken));

    private sealed class LedgerRow
    {
        public string Sha256 { get; set; } = "";

        public string Kind { get; set; } = "";

        public string FileName { get; set; } = "";

        public long SizeBytes { get; set; }

        /// <summary>Not RowCount: ROWCOUNT is a reserved word of T-SQL, so that alias fails on SQL Server.</summary>
        public long Rows { get; set; }

        public DateTime IngestedAt { get; set; }
    }
}
