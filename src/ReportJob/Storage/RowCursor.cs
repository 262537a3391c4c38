using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ReportJob.Storage;

/// <summary>
/// Reads many rows of integers and byte strings, the fastest way the provider allows: SQLite stepped directly through
/// <see cref="SqliteStatement"/> when its bundled library is in use (values read in place, nothing allocated per row),
/// anything else through ADO.NET. Parameters are 64-bit integers named <c>@p0</c>, <c>@p1</c>, … in the SQL. NULL, and
/// a value that cannot be read as what is asked (a damaged store), is an <see cref="InvalidDataException"/> that says
/// what was found, for the caller to name the row; SQLite's own conversions (text that is a number, text as bytes) are
/// taken as they come, so that reading a value is one call into SQLite.
/// </summary>
internal abstract class RowCursor : IAsyncDisposable
{
    /// <param name="transaction">
    /// The caller's open transaction, whose changes the rows must include; without one, SQLite is read through a
    /// read-only connection of the statement's own (<see cref="SqliteStatement"/>).
    /// </param>
    public static async Task<RowCursor> OpenAsync(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<long> parameters, int commandTimeoutSeconds, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite && SqliteNative.IsAvailable())
        {
            var statement = new SqliteStatement(sqlite, sql, ownConnection: transaction is null);
            statement.Reset([.. parameters]);
            return new SqliteCursor(statement);
        }

        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = commandTimeoutSeconds;
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = parameters[i];
            command.Parameters.Add(p);
        }

        try
        {
            return new AdoCursor(command, await command.ExecuteReaderAsync(cancellationToken));
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves to the next row; false after the last one, and from then on.</summary>
    public abstract bool Read();

    public abstract bool IsNull(int column);

    /// <summary>An integer column; NULL or another type is an <see cref="InvalidDataException"/>.</summary>
    public abstract long Int64(int column);

    /// <summary>A byte-string column (BLOB, bytea, varbinary), valid until the next <see cref="Read"/>; NULL or another type is an <see cref="InvalidDataException"/>.</summary>
    public abstract ReadOnlySpan<byte> Bytes(int column);

    public abstract ValueTask DisposeAsync();

    private static InvalidDataException Wrong(string found, string wanted) => new($"{found}, not {wanted}");

    private sealed class SqliteCursor(SqliteStatement statement) : RowCursor
    {
        private bool _done;

        // Stepping a finished statement would run it again from the start.
        public override bool Read() => !_done && (statement.Step() || !(_done = true));

        public override bool IsNull(int column) => statement.Type(column) == raw.SQLITE_NULL;

        public override long Int64(int column)
        {
            // SQLite turns whatever is there into a number: NULL and text that is no number become 0, so a 0 must be a
            // stored integer (a value read as another number is taken as that number; one call fewer per value).
            var value = statement.Int64(column);
            if (value != 0)
            {
                return value;
            }

            var type = statement.Type(column);
            return type == raw.SQLITE_INTEGER ? 0 : throw Wrong(Describe(column, type), "an integer");
        }

        public override ReadOnlySpan<byte> Bytes(int column)
        {
            // SQLite hands out text as its bytes too: only an empty value is looked at closer (NULL, or no bytes at all).
            var bytes = statement.Blob(column);
            if (!bytes.IsEmpty)
            {
                return bytes;
            }

            var type = statement.Type(column);
            return type == raw.SQLITE_BLOB ? bytes : throw Wrong(Describe(column, type), "bytes");
        }

        public override ValueTask DisposeAsync()
        {
            statement.Dispose();
            return ValueTask.CompletedTask;
        }

        private string Describe(int column, int type) => type switch
        {
            raw.SQLITE_NULL => "NULL",
            raw.SQLITE_INTEGER => "the integer " + statement.Int64(column).ToString(CultureInfo.InvariantCulture),
            raw.SQLITE_BLOB => $"{statement.Blob(column).Length} bytes",
            _ => statement.TryText(column, out var text) ? "'" + Shorten(System.Text.Encoding.UTF8.GetString(text)) + "'" : "NULL",
        };
    }

    /// <summary>
    /// ADO.NET, read with the typed getters and byte strings copied into a buffer per column: reading values as objects
    /// would box every integer (a day of runs on PostgreSQL allocated about 300 bytes per row, 460 MB, that way).
    /// </summary>
    private sealed class AdoCursor(DbCommand command, DbDataReader reader) : RowCursor
    {
        private readonly byte[]?[] _buffers = new byte[]?[reader.FieldCount];

        public override bool Read() => reader.Read();

        public override bool IsNull(int column) => reader.IsDBNull(column);

        public override long Int64(int column)
        {
            if (reader.IsDBNull(column))
            {
                throw Wrong("NULL", "an integer");
            }

            // The type of the column's value in this row: SQLite's may change from row to row.
            var type = reader.GetFieldType(column);
            return type == typeof(long) ? reader.GetInt64(column)
                : type == typeof(int) ? reader.GetInt32(column)
                : type == typeof(short) ? reader.GetInt16(column)
                : type == typeof(byte) ? reader.GetByte(column)
                : throw Wrong(Describe(reader.GetValue(column)), "an integer");
        }

        public override ReadOnlySpan<byte> Bytes(int column)
        {
            if (reader.IsDBNull(column))
            {
                throw Wrong("NULL", "bytes");
            }

            if (reader.GetFieldType(column) != typeof(byte[]))
            {
                throw Wrong(Describe(reader.GetValue(column)), "bytes");
            }

            var length = (int)reader.GetBytes(column, 0, null, 0, 0);
            var buffer = _buffers[column];
            if (buffer is null || buffer.Length < length)
            {
                _buffers[column] = buffer = new byte[Math.Max(length, 32)];
            }

            return buffer.AsSpan(0, (int)reader.GetBytes(column, 0, buffer, 0, length));
        }

        public override async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await command.DisposeAsync();
        }

        private static string Describe(object value) => value switch
        {
            byte[] bytes => $"{bytes.Length} bytes",
            string text => "'" + Shorten(text) + "'",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
        };
    }

    /// <summary>A stored text for an error message: control characters replaced, and short.</summary>
    private static string Shorten(string text)
    {
        var clean = string.Concat(text.Take(64).Select(c => char.IsControl(c) ? '\uFFFD' : c));
        return text.Length > 64 ? clean + "…" : clean;
    }
}
