using System.Runtime.InteropServices;
using SQLitePCL;

namespace ReportJob.Storage;

/// <summary>
/// Direct calls into the bundled e_sqlite3, for the two paths that make millions of calls: reads of many rows
/// (<see cref="SqliteStatement"/>, through <see cref="RowCursor"/>) and the bulk insert's binds (<see cref="BulkInserter"/>).
/// SQLitePCLRaw's API passes a SafeHandle (two interlocked reference counts) and makes a GC transition on every call; here the pointer goes as is,
/// and calls that only read or set a value in memory skip the transition. Blittable signatures only, so there is no
/// marshalling stub (LibraryImport would generate the same calls).
/// </summary>
internal static class SqliteNative
{
    public const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies a bound text or blob before the call returns.</summary>
    public const nint Transient = -1;

    /// <summary>
    /// True when SQLitePCLRaw runs on the bundled e_sqlite3, the library these calls bind to (the same file: native
    /// libraries resolve through the application's dependency list, whichever assembly asks). Call it once a connection
    /// is open (opening one sets SQLitePCLRaw's provider up).
    /// </summary>
    public static bool IsAvailable()
    {
        try
        {
            return raw.GetNativeLibraryName() == Library && raw.sqlite3_libversion_number() == sqlite3_libversion_number();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport(Library, ExactSpelling = true)]
    public static extern int sqlite3_libversion_number();

    [DllImport(Library, ExactSpelling = true)]
    public static extern int sqlite3_step(nint statement);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_column_type(nint statement, int column);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern long sqlite3_column_int64(nint statement, int column);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern nint sqlite3_column_text(nint statement, int column);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern nint sqlite3_column_blob(nint statement, int column);

    /// <summary>The size of the value sqlite3_column_blob or sqlite3_column_text returned last for the column.</summary>
    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_column_bytes(nint statement, int column);

    // Binding copies a value into the statement (under the connection's mutex, which only the writing thread takes).

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_bind_null(nint statement, int index);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_bind_int64(nint statement, int index, long value);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_bind_double(nint statement, int index, double value);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern unsafe int sqlite3_bind_text(nint statement, int index, byte* utf8, int length, nint destructor);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern unsafe int sqlite3_bind_blob(nint statement, int index, byte* value, int length, nint destructor);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_bind_zeroblob(nint statement, int index, int length);
}
