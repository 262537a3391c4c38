using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ReportJob.Storage;

/// <summary>
/// Writes many rows into one table inside the caller's transaction, by the fastest path of each provider:
/// prepared, reused insert (SQLite), binary COPY (PostgreSQL), SqlBulkCopy (SQL Server).
/// </summary>
public sealed class BulkInserter(IDbConnectionFactory factory)
{
    /// <summary>Inserts the rows; <paramref name="fill"/> writes one row's values into the array, in column order.</summary>
    public async Task<long> InsertAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        IReadOnlyList<BulkColumn> columns,
        IEnumerable<T> rows,
        Action<T, object?[]> fill,
        CancellationToken cancellationToken)
    {
        return factory.Provider switch
        {
            StorageProvider.Sqlite => InsertSqlite((SqliteConnection)connection, (SqliteTransaction)transaction, table, columns, rows, fill, cancellationToken),
            StorageProvider.Postgres => await InsertPostgresAsync((NpgsqlConnection)connection, table, columns, rows, fill, cancellationToken),
            StorageProvider.SqlServer => await InsertSqlServerAsync((SqlConnection)connection, (SqlTransaction)transaction, table, columns, rows, fill, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown provider {factory.Provider}"),
        };
    }

    private static long InsertSqlite<T>(SqliteConnection connection, SqliteTransaction tx, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Action<T, object?[]> fill, CancellationToken cancellationToken)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        var parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = cmd.Parameters.Add("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), columns[i].Type switch
            {
                BulkType.Double => SqliteType.Real,
                BulkType.Text or BulkType.DateTime => SqliteType.Text,
                _ => SqliteType.Integer,
            });
        }

        cmd.Prepare();
        var values = new object?[columns.Count];
        long count = 0;
        foreach (var row in rows)
        {
            fill(row, values);
            for (var i = 0; i < values.Length; i++)
            {
                // DateTime goes in Microsoft.Data.Sqlite's own text form, the same as Dapper's parameters: the form
                // sorts like the time it holds, so range conditions on the text column are right.
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            cmd.ExecuteNonQuery();
            if ((++count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return count;
    }

    private static async Task<long> InsertPostgresAsync<T>(NpgsqlConnection connection, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Action<T, object?[]> fill, CancellationToken cancellationToken)
    {
        var types = columns.Select(c => c.Type switch
        {
            BulkType.Int32 => NpgsqlDbType.Integer,
            BulkType.Int64 => NpgsqlDbType.Bigint,
            BulkType.Double => NpgsqlDbType.Double,
            BulkType.Boolean => NpgsqlDbType.Boolean,
            BulkType.Text => NpgsqlDbType.Text,
            BulkType.DateTime => NpgsqlDbType.TimestampTz,
            _ => throw new ArgumentOutOfRangeException(nameof(columns)),
        }).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var values = new object?[columns.Count];
        long count = 0;
        foreach (var row in rows)
        {
            fill(row, values);
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < values.Length; i++)
            {
                switch (values[i])
                {
                    case null:
                        await importer.WriteNullAsync(cancellationToken);
                        break;
                    case DateTime d:
                        await importer.WriteAsync(DateTime.SpecifyKind(d, DateTimeKind.Utc), types[i], cancellationToken);
                        break;
                    case int v:
                        await importer.WriteAsync(v, types[i], cancellationToken);
                        break;
                    case long v:
                        await importer.WriteAsync(v, types[i], cancellationToken);
                        break;
                    case double v:
                        await importer.WriteAsync(v, types[i], cancellationToken);
                        break;
                    case bool v:
                        await importer.WriteAsync(v, types[i], cancellationToken);
                        break;
                    case string v:
                        await importer.WriteAsync(v, types[i], cancellationToken);
                        break;
                    default:
                        throw new InvalidOperationException($"Column {columns[i].Name} of {table}: unsupported value type {values[i]!.GetType()}");
                }
            }

            count++;
        }

        await importer.CompleteAsync(cancellationToken);
        return count;
    }

    private static async Task<long> InsertSqlServerAsync<T>(SqlConnection connection, SqlTransaction tx, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Action<T, object?[]> fill, CancellationToken cancellationToken)
    {
        using var bulk = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints, tx)
        {
            DestinationTableName = table,
            BatchSize = 10_000,
            BulkCopyTimeout = 0,
            EnableStreaming = true,
        };
        foreach (var c in columns)
        {
            bulk.ColumnMappings.Add(c.Name, c.Name);
        }

        await using var reader = new BulkRowReader<T>(columns, rows, fill);
        await bulk.WriteToServerAsync(reader, cancellationToken);
        return reader.RowsRead;
    }
}
