using System.Runtime.CompilerServices;

namespace ReportJob.Storage;

/// <summary>
/// The values of the rows a bulk insert is about to write, in column order, kept as they are given: numbers and times
/// unboxed, texts as strings or as UTF-8 bytes copied into one buffer (<see cref="Text{T}"/> formats straight into it,
/// so a row of addresses allocates nothing). A row writer (<see cref="BulkRowWriter{T}"/>) calls one method per column;
/// the inserter then binds the values (SQLite), formats them (PostgreSQL COPY) or hands them over (SQL Server), and
/// clears the buffer for the next rows.
/// </summary>
public sealed class BulkValues
{
    private BulkValue[] _values = new BulkValue[64];
    private byte[] _utf8 = new byte[4096];
    private int _utf8Length;

    /// <summary>Values held, of all rows since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    internal ref readonly BulkValue this[int index] => ref _values[index];

    public void Null() => Add(new BulkValue(BulkValueKind.Null, 0, null));

    public void Int32(int value) => Add(new BulkValue(BulkValueKind.Int32, value, null));

    public void Int32(int? value) => Add(value is { } v ? new BulkValue(BulkValueKind.Int32, v, null) : new BulkValue(BulkValueKind.Null, 0, null));

    public void Int64(long value) => Add(new BulkValue(BulkValueKind.Int64, value, null));

    public void Int64(long? value) => Add(value is { } v ? new BulkValue(BulkValueKind.Int64, v, null) : new BulkValue(BulkValueKind.Null, 0, null));

    public void Double(double value) => Add(new BulkValue(BulkValueKind.Double, BitConverter.DoubleToInt64Bits(value), null));

    public void Boolean(bool value) => Add(new BulkValue(BulkValueKind.Boolean, value ? 1 : 0, null));

    /// <summary>A time, written as UTC whatever its <see cref="DateTime.Kind"/>.</summary>
    public void DateTime(DateTime value) => Add(new BulkValue(BulkValueKind.DateTime, value.Ticks, null));

    public void DateTime(DateTime? value)
    {
        if (value is { } v)
        {
            DateTime(v);
        }
        else
        {
            Null();
        }
    }

    public void Text(string? value) => Add(value is null ? new BulkValue(BulkValueKind.Null, 0, null) : new BulkValue(BulkValueKind.String, 0, value));

    /// <summary>The text form of <paramref name="value"/> (its UTF-8 formatting, invariant), without a string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Text<T>(in T value)
        where T : IUtf8SpanFormattable
    {
        int written;
        while (!value.TryFormat(_utf8.AsSpan(_utf8Length), out written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            Array.Resize(ref _utf8, _utf8.Length * 2);
        }

        Add(new BulkValue(BulkValueKind.Utf8, ((long)_utf8Length << 32) | (uint)written, null));
        _utf8Length += written;
    }

    public void Blob(byte[]? value) => Add(value is null ? new BulkValue(BulkValueKind.Null, 0, null) : new BulkValue(BulkValueKind.Blob, 0, value));

    /// <summary>The UTF-8 bytes of a <see cref="BulkValueKind.Utf8"/> value.</summary>
    internal ReadOnlySpan<byte> Utf8(in BulkValue value) => _utf8.AsSpan((int)(value.Bits >> 32), (int)(uint)value.Bits);

    /// <summary>Forgets the values, keeping the buffers.</summary>
    internal void Clear()
    {
        Count = 0;
        _utf8Length = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(in BulkValue value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = value;
    }
}

/// <summary>Writes one row's values, one call per column in column order.</summary>
public delegate void BulkRowWriter<T>(in T row, BulkValues values);

internal enum BulkValueKind : byte
{
    Null,
    Int32,
    Int64,
    Double,
    Boolean,

    /// <summary>Ticks of a UTC time.</summary>
    DateTime,

    /// <summary>A <see cref="string"/> in <see cref="BulkValue.Reference"/>.</summary>
    String,

    /// <summary>UTF-8 bytes in the values' buffer: offset in the high, length in the low 32 bits.</summary>
    Utf8,

    /// <summary>A byte array in <see cref="BulkValue.Reference"/>.</summary>
    Blob,
}

/// <summary>One value: its kind, its bits (number, double bits, ticks, or where its UTF-8 bytes are), or a reference.</summary>
internal readonly record struct BulkValue(BulkValueKind Kind, long Bits, object? Reference)
{
    /// <summary>The value as ADO.NET wants it (boxed; null for NULL).</summary>
    public object? ToObject(BulkValues values) => Kind switch
    {
        BulkValueKind.Null => null,
        BulkValueKind.Int32 => (int)Bits,
        BulkValueKind.Int64 => Bits,
        BulkValueKind.Double => BitConverter.Int64BitsToDouble(Bits),
        BulkValueKind.Boolean => Bits != 0,
        BulkValueKind.DateTime => new DateTime(Bits, DateTimeKind.Utc),
        BulkValueKind.Utf8 => System.Text.Encoding.UTF8.GetString(values.Utf8(this)),
        _ => Reference,
    };
}
