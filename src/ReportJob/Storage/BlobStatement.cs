using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ReportJob.Storage;

/// <summary>
/// Runs one statement whose parameters are 64-bit integers and one large byte value, inside the caller's transaction.
/// On SQLite the value is bound straight from the caller's buffer (SQLite copies it into its own memory): a buffer reused
/// from call to call then costs no managed allocation, where an ADO.NET parameter would copy it into a new array each
/// time (half a megabyte for a server's open connections, every few minutes). Other providers go through ADO.NET.
/// Parameters are named <c>@p0</c>, <c>@p1</c>, … in the SQL, the byte value <c>@blob</c>.
/// </summary>
internal static class BlobStatement
{
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<long> parameters, ReadOnlyMemory<byte> blob, int commandTimeoutSeconds, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite && sqlite.Handle is { } db && SqliteNative.IsAvailable())
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ExecuteSqlite(db, sql, parameters, blob.Span);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = commandTimeoutSeconds;
        command.CommandText = sql;
        for (var i = 0; i < parameters.Count; i++)
        {
            Add(command, "@p" + i.ToString(CultureInfo.InvariantCulture), parameters[i]);
        }

        Add(command, "@blob", blob.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static unsafe int ExecuteSqlite(sqlite3 db, string sql, IReadOnlyList<long> parameters, ReadOnlySpan<byte> blob)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            var handle = statement.DangerousGetHandle();
            for (var i = 0; i < parameters.Count; i++)
            {
                Check(db, SqliteNative.sqlite3_bind_int64(handle, Index(statement, "@p" + i.ToString(CultureInfo.InvariantCulture)), parameters[i]));
            }

            fixed (byte* p = blob)
            {
                var empty = stackalloc byte[1];
                Check(db, SqliteNative.sqlite3_bind_blob(handle, Index(statement, "@blob"), blob.IsEmpty ? empty : p, blob.Length, SqliteNative.Transient));
            }

            var rc = SqliteNative.sqlite3_step(handle);
            if (rc != raw.SQLITE_DONE)
            {
                Check(db, rc);
            }

            return raw.sqlite3_changes(db);
        }
    }

    private static int Index(sqlite3_stmt statement, string name)
    {
        var index = raw.sqlite3_bind_parameter_index(statement, name);
        return index > 0 ? index : throw new ArgumentException($"The statement has no parameter {name}", nameof(name));
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
