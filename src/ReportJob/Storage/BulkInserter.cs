using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ReportJob.Storage;

/// <summary>
/// Writes many rows into one table inside the caller's transaction, by the fastest path of each provider:
/// prepared multi-row insert (SQLite), COPY in text form (PostgreSQL), SqlBulkCopy (SQL Server).
/// </summary>
public sealed class BulkInserter(IDbConnectionFactory factory)
{
    /// <summary>Rows per SQLite INSERT statement (bounded by <see cref="SqliteMaxParameters"/>).</summary>
    internal const int SqliteRowsPerStatement = 64;

    /// <summary>How Microsoft.Data.Sqlite writes a DateTime parameter as text (SqliteValueBinder).</summary>
    internal const string SqliteDateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    /// <summary>SQLITE_MAX_VARIABLE_NUMBER of SQLite before 3.32 (999); newer builds allow 32766.</summary>
    internal const int SqliteMaxParameters = 999;

    /// <summary>
    /// Inserts the rows; <paramref name="write"/> gives one row's values, one call per column in column order (no value
    /// is boxed on the way to SQLite or PostgreSQL).
    /// </summary>
    public async Task<long> InsertAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        IReadOnlyList<BulkColumn> columns,
        IEnumerable<T> rows,
        BulkRowWriter<T> write,
        CancellationToken cancellationToken)
    {
        return factory.Provider switch
        {
            StorageProvider.Sqlite => InsertSqlite((SqliteConnection)connection, (SqliteTransaction)transaction, table, columns, rows, write, cancellationToken),
            StorageProvider.Postgres => await InsertPostgresAsync((NpgsqlConnection)connection, table, columns, rows, write, cancellationToken),
            StorageProvider.SqlServer => await InsertSqlServerAsync((SqlConnection)connection, (SqlTransaction)transaction, table, columns, rows, write, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown provider {factory.Provider}"),
        };
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static long InsertSqlite<T>(SqliteConnection connection, SqliteTransaction tx, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, BulkRowWriter<T> write, CancellationToken cancellationToken)
    {
        // Straight to SQLite through the connection's handle, inside the caller's transaction (a BEGIN on this same
        // connection): ADO.NET's per-execution cost (a data reader per call, parameters bound by name) was most of
        // the time. A prepared multi-row VALUES statement takes SqliteRowsPerStatement rows at a time, parameters
        // bound by position; the tail gets a statement of its own size. Measured with bench snapshot-store.
        if (connection.Handle is not { } db || tx.Connection != connection)
        {
            throw new InvalidOperationException("The SQLite connection is not open, or the transaction is not its own");
        }

        var width = columns.Count;
        var batchRows = Math.Max(1, Math.Min(SqliteRowsPerStatement, SqliteMaxParameters / width));
        var values = new BulkValues();
        var pending = 0;
        long count = 0;
        var lastDate = new DateText();
        var direct = SqliteNative.IsAvailable();
        using var batch = PrepareSqlite(db, table, columns, batchRows);
        foreach (var row in rows)
        {
            WriteRow(write, row, values, width, table);
            if (++pending == batchRows)
            {
                ExecuteSqlite(db, batch, values, direct, ref lastDate);
                values.Clear();
                pending = 0;
            }

            if ((++count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (pending > 0)
        {
            using var tail = PrepareSqlite(db, table, columns, pending);
            ExecuteSqlite(db, tail, values, direct, ref lastDate);
        }

        return count;
    }

    private static SQLitePCL.sqlite3_stmt PrepareSqlite(SQLitePCL.sqlite3 db, string table, IReadOnlyList<BulkColumn> columns, int rowCount)
    {
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", columns.Count)) + ")";
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES {string.Join(", ", Enumerable.Repeat(row, rowCount))}";
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out var stmt);
        CheckSqlite(db, rc, table);
        return stmt;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ExecuteSqlite(SQLitePCL.sqlite3 db, SQLitePCL.sqlite3_stmt stmt, BulkValues values, bool direct, ref DateText lastDate)
    {
        if (direct)
        {
            Bind(new DirectBinder(stmt.DangerousGetHandle()), db, values, ref lastDate);
        }
        else
        {
            Bind(new RawBinder(stmt), db, values, ref lastDate);
        }

        var step = SQLitePCL.raw.sqlite3_step(stmt);
        var reset = SQLitePCL.raw.sqlite3_reset(stmt);
        if (step != SQLitePCL.raw.SQLITE_DONE)
        {
            CheckSqlite(db, step == SQLitePCL.raw.SQLITE_ROW ? reset : step, "insert");
            CheckSqlite(db, reset, "insert");
        }
    }

    private static void Bind<TBinder>(TBinder binder, SQLitePCL.sqlite3 db, BulkValues values, ref DateText lastDate)
        where TBinder : struct, ISqliteBinder
    {
        byte[]? text = null;
        for (var i = 0; i < values.Count; i++)
        {
            var p = i + 1;
            ref readonly var v = ref values[i];
            var rc = v.Kind switch
            {
                BulkValueKind.Null => binder.Null(p),
                BulkValueKind.Int32 or BulkValueKind.Int64 or BulkValueKind.Boolean => binder.Int64(p, v.Bits),
                BulkValueKind.Double => binder.Double(p, BitConverter.Int64BitsToDouble(v.Bits)),
                BulkValueKind.String => binder.Text(p, Utf8((string)v.Reference!, ref text)),
                BulkValueKind.Utf8 => binder.Text(p, values.Utf8(v)),
                BulkValueKind.Blob => binder.Blob(p, (byte[])v.Reference!),
                // Microsoft.Data.Sqlite's own text form of a DateTime, the one Dapper's parameters write: it sorts
                // like the time it holds, so range conditions on the text columns are right. Rows of a batch mostly
                // share their bucket's time, so the last one's text is kept.
                _ => binder.Text(p, lastDate.Of(new DateTime(v.Bits))),
            };
            CheckSqlite(db, rc, "bind");
        }
    }

    /// <summary>Adds one row's values, which must be one per column.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void WriteRow<T>(BulkRowWriter<T> write, in T row, BulkValues values, int width, string table)
    {
        var before = values.Count;
        write(row, values);
        if (values.Count - before != width)
        {
            throw new InvalidOperationException($"Bulk insert into {table}: a row gave {values.Count - before} values for {width} columns");
        }
    }

    private static ReadOnlySpan<byte> Utf8(string value, ref byte[]? buffer)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (buffer is null || buffer.Length < max)
        {
            buffer = new byte[Math.Max(max, 256)];
        }

        return buffer.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(value, buffer));
    }

    /// <summary>The SQLite text of the DateTime last bound, kept across a table's statements.</summary>
    private struct DateText
    {
        private readonly byte[] _text;
        private DateTime _value;
        private int _length;

        public DateText() => _text = new byte[32];

        public ReadOnlySpan<byte> Of(DateTime value)
        {
            if (_length == 0 || value != _value)
            {
                _value = value;
                _length = FormatSqliteDateTime(value, _text);
            }

            return _text.AsSpan(0, _length);
        }
    }

    private interface ISqliteBinder
    {
        int Null(int index);

        int Int64(int index, long value);

        int Double(int index, double value);

        int Text(int index, ReadOnlySpan<byte> utf8);

        int Blob(int index, byte[] value);
    }

    /// <summary>Binds through <see cref="SqliteNative"/>: no SafeHandle and no GC transition per value.</summary>
    private readonly unsafe struct DirectBinder(nint statement) : ISqliteBinder
    {
        public int Null(int index) => SqliteNative.sqlite3_bind_null(statement, index);

        public int Int64(int index, long value) => SqliteNative.sqlite3_bind_int64(statement, index, value);

        public int Double(int index, double value) => SqliteNative.sqlite3_bind_double(statement, index, value);

        public int Text(int index, ReadOnlySpan<byte> utf8)
        {
            fixed (byte* p = utf8)
            {
                // A null pointer would bind NULL: an empty text gets a pointer to a zero-length span of its own.
                var empty = stackalloc byte[1];
                return SqliteNative.sqlite3_bind_text(statement, index, utf8.IsEmpty ? empty : p, utf8.Length, SqliteNative.Transient);
            }
        }

        public int Blob(int index, byte[] value)
        {
            if (value.Length == 0)
            {
                return SqliteNative.sqlite3_bind_zeroblob(statement, index, 0);
            }

            fixed (byte* p = value)
            {
                return SqliteNative.sqlite3_bind_blob(statement, index, p, value.Length, SqliteNative.Transient);
            }
        }
    }

    /// <summary>Binds through SQLitePCLRaw, when SQLite is not the bundled e_sqlite3.</summary>
    private readonly struct RawBinder(SQLitePCL.sqlite3_stmt statement) : ISqliteBinder
    {
        public int Null(int index) => SQLitePCL.raw.sqlite3_bind_null(statement, index);

        public int Int64(int index, long value) => SQLitePCL.raw.sqlite3_bind_int64(statement, index, value);

        public int Double(int index, double value) => SQLitePCL.raw.sqlite3_bind_double(statement, index, value);

        public int Text(int index, ReadOnlySpan<byte> utf8) => SQLitePCL.raw.sqlite3_bind_text(statement, index, utf8);

        public int Blob(int index, byte[] value) => SQLitePCL.raw.sqlite3_bind_blob(statement, index, value);
    }

    /// <summary>
    /// Writes <paramref name="value"/> as UTF-8 in <see cref="SqliteDateTimeFormat"/>, the text form Microsoft.Data.Sqlite
    /// gives a DateTime parameter (it sorts like the time it holds, so range conditions on the text columns are right),
    /// without parsing a custom format string per value. Returns the length (19 to 27 bytes).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static int FormatSqliteDateTime(DateTime value, Span<byte> destination)
    {
        static void Digits(Span<byte> d, int v, int count)
        {
            for (var i = count - 1; i >= 0; i--, v /= 10)
            {
                d[i] = (byte)('0' + (v % 10));
            }
        }

        Digits(destination, value.Year, 4);
        destination[4] = (byte)'-';
        Digits(destination[5..], value.Month, 2);
        destination[7] = (byte)'-';
        Digits(destination[8..], value.Day, 2);
        destination[10] = (byte)' ';
        Digits(destination[11..], value.Hour, 2);
        destination[13] = (byte)':';
        Digits(destination[14..], value.Minute, 2);
        destination[16] = (byte)':';
        Digits(destination[17..], value.Second, 2);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19; // "FFFFFFF" of zero writes nothing, not even the point
        }

        destination[19] = (byte)'.';
        Digits(destination[20..], fraction, 7);
        var length = 27;
        while (destination[length - 1] == (byte)'0')
        {
            length--;
        }

        return length;
    }

    private static void CheckSqlite(SQLitePCL.sqlite3 db, int rc, string what)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK && rc != SQLitePCL.raw.SQLITE_DONE)
        {
            // The same exception type (and error codes) ADO.NET calls throw, so callers handle one kind.
            throw new SqliteException($"SQLite Error {rc} ({what}): '{SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc, SQLitePCL.raw.sqlite3_extended_errcode(db));
        }
    }

    private static async Task<long> InsertPostgresAsync<T>(NpgsqlConnection connection, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, BulkRowWriter<T> write, CancellationToken cancellationToken)
    {
        // COPY in text form, each row formatted here into one line. The binary importer resolves a converter and runs
        // an async state machine per value, which made the client, not the server, the slow side: 1.1-1.5 s for the
        // 75,000 rows of bench ingest --postgres.
        await using var copy = await connection.BeginTextImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN", cancellationToken);
        // Rows are sent in chunks of about 64 KB: the writer makes one protocol message (and a send) per call.
        var values = new BulkValues();
        var lines = new PostgresCopyText();
        long count = 0;
        foreach (var row in rows)
        {
            values.Clear();
            WriteRow(write, row, values, columns.Count, table);
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    lines.Append('\t');
                }

                lines.AppendValue(values[i], values);
            }

            lines.Append('\n');
            count++;
            if (lines.Text.Length >= 1 << 16)
            {
                await copy.WriteAsync(lines.Text, cancellationToken);
                lines.Clear();
            }
        }

        await copy.WriteAsync(lines.Text, cancellationToken);
        return count;
    }

    private static async Task<long> InsertSqlServerAsync<T>(SqlConnection connection, SqlTransaction tx, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, BulkRowWriter<T> write, CancellationToken cancellationToken)
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

        await using var reader = new BulkRowReader<T>(columns, rows, (row, values) => WriteRow(write, row, values, columns.Count, table));
        await bulk.WriteToServerAsync(reader, cancellationToken);
        return reader.RowsRead;
    }
}
