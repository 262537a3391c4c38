using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ReportJob.Storage;

/// <summary>
/// A read-only prepared statement over the database of an open <see cref="SqliteConnection"/>, stepped through e_sqlite3
/// directly: for reads of millions of rows. Microsoft.Data.Sqlite's reader, and SQLitePCLRaw's API under it, pass a
/// SafeHandle (two interlocked reference counts) and make a GC transition on every call, which on the 11.5 million
/// rows × 5 columns of a day's connections (as they were stored before runs) cost more than SQLite took to produce the
/// rows. Here the statement pointer goes as is, and the column accessors, which only read the current row, skip the
/// transition. Text and blobs come back as spans over SQLite's own buffer, valid until the next <see cref="Step"/>.
/// Used through <see cref="RowCursor"/>, so that no feature steps SQLite itself.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly bool _ownsDb;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;

    /// <param name="ownConnection">Read through a connection of the statement's own (see <see cref="OpenOwn"/>); false inside a transaction of <paramref name="connection"/>, whose changes the rows must include.</param>
    public SqliteStatement(SqliteConnection connection, string sql, bool ownConnection = true)
    {
        if (!SqliteNative.IsAvailable())
        {
            throw new InvalidOperationException($"SQLite is provided by {raw.GetNativeLibraryName()}, not {SqliteNative.Library}: check SqliteNative.IsAvailable first");
        }

        var own = ownConnection ? OpenOwn(connection) : null;
        _db = own ?? connection.Handle!;
        _ownsDb = own is not null;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            try
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            finally
            {
                Dispose();
            }
        }

        _handle = _statement.DangerousGetHandle();
    }

    /// <summary>Rewinds the statement and binds new values to its parameters, named <c>@p0</c>, <c>@p1</c>, … in the SQL.</summary>
    public void Reset(ReadOnlySpan<long> values)
    {
        raw.sqlite3_reset(_statement);
        for (var i = 0; i < values.Length; i++)
        {
            var index = raw.sqlite3_bind_parameter_index(_statement, "@p" + i.ToString(CultureInfo.InvariantCulture));
            if (index == 0)
            {
                throw new ArgumentException($"The statement has no parameter @p{i}", nameof(values));
            }

            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, index, values[i]), _db);
        }
    }

    /// <summary>Moves to the next row; false after the last one.</summary>
    public bool Step()
    {
        var rc = SqliteNative.sqlite3_step(_handle);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    /// <summary>The column's type in the current row: raw.SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.</summary>
    public int Type(int column) => SqliteNative.sqlite3_column_type(_handle, column);

    public long Int64(int column) => SqliteNative.sqlite3_column_int64(_handle, column);

    /// <summary>
    /// The column as UTF-8 text (SQLite converts other types), up to the zero that always ends it; false for NULL. One
    /// call into SQLite, not the two of sqlite3_column_bytes: each takes the connection's mutex.
    /// </summary>
    public unsafe bool TryText(int column, out ReadOnlySpan<byte> utf8)
    {
        var text = SqliteNative.sqlite3_column_text(_handle, column);
        if (text == 0)
        {
            // NULL, or SQLite ran out of memory converting the value.
            utf8 = default;
            if (Type(column) != raw.SQLITE_NULL)
            {
                throw new SqliteException("SQLite ran out of memory converting a column to text", raw.SQLITE_NOMEM);
            }

            return false;
        }

        utf8 = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)text);
        return true;
    }

    /// <summary>The column as bytes (SQLite converts other types; NULL is empty), valid until the next <see cref="Step"/>.</summary>
    public unsafe ReadOnlySpan<byte> Blob(int column)
    {
        var blob = SqliteNative.sqlite3_column_blob(_handle, column);
        var length = SqliteNative.sqlite3_column_bytes(_handle, column);
        return blob == 0 ? default : new ReadOnlySpan<byte>((byte*)blob, length);
    }

    public void Dispose()
    {
        _statement?.Dispose();
        if (_ownsDb)
        {
            _db.Dispose();
        }
    }

    /// <summary>
    /// A connection of the statement's own to the same file, read-only and opened without SQLite's per-connection mutex:
    /// Microsoft.Data.Sqlite opens connections serialized, so that each step and column read takes and releases a mutex,
    /// a sixth of the report's read. A statement is only ever used by one thread at a time, which is all SQLite asks of a
    /// connection without one. It gets the connection's busy timeout and a page cache of 2 MB. In-memory databases (no
    /// file name) and URI file names: null, the connection itself is used.
    /// </summary>
    private static sqlite3? OpenOwn(SqliteConnection connection)
    {
        var file = connection.DataSource;
        if (string.IsNullOrEmpty(file) || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !File.Exists(file))
        {
            return null;
        }

        // A statement of its own reads many rows once, each page in turn: a small page cache does (with the connection's
        // 16 MB, the report's read of a day of runs peaked 14 MB higher, no faster).
        const long cacheSize = -2048;
        var rc = raw.sqlite3_open_v2(file, out var db, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc == raw.SQLITE_OK)
        {
            rc = raw.sqlite3_busy_timeout(db, connection.DefaultTimeout * 1000);
        }

        if (rc == raw.SQLITE_OK)
        {
            rc = raw.sqlite3_exec(db, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size={cacheSize}"));
        }

        if (rc != raw.SQLITE_OK)
        {
            try
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
            finally
            {
                db.Dispose();
            }
        }

        return db;
    }
}
