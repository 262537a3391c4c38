using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace ReportJob.Storage;

/// <summary>A forward-only <see cref="DbDataReader"/> over rows, for SqlBulkCopy.</summary>
internal sealed class BulkRowReader<T>(IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Action<T, BulkValues> write) : DbDataReader
{
    private readonly IEnumerator<T> _rows = rows.GetEnumerator();
    private readonly BulkValues _row = new();
    private readonly object?[] _values = new object?[columns.Count];

    public long RowsRead { get; private set; }

    public override int FieldCount => columns.Count;

    public override bool HasRows => true;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (!_rows.MoveNext())
        {
            return false;
        }

        _row.Clear();
        write(_rows.Current, _row);
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = _row[i].ToObject(_row);
        }

        RowsRead++;
        return true;
    }

    public override bool NextResult() => false;

    public override string GetName(int ordinal) => columns[ordinal].Name;

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new IndexOutOfRangeException(name);
    }

    public override object GetValue(int ordinal) => _values[ordinal] ?? DBNull.Value;

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, _values.Length);
        for (var i = 0; i < n; i++)
        {
            values[i] = GetValue(i);
        }

        return n;
    }

    public override bool IsDBNull(int ordinal) => _values[ordinal] is null;

    public override Type GetFieldType(int ordinal) => columns[ordinal].Type switch
    {
        BulkType.Int32 => typeof(int),
        BulkType.Int64 => typeof(long),
        BulkType.Double => typeof(double),
        BulkType.Boolean => typeof(bool),
        BulkType.DateTime => typeof(DateTime),
        BulkType.Binary => typeof(byte[]),
        _ => typeof(string),
    };

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

    public override byte GetByte(int ordinal) => Convert.ToByte(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = (byte[])GetValue(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override char GetChar(int ordinal) => throw new NotSupportedException();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => (double)GetValue(ordinal);

    public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

    public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => (int)GetValue(ordinal);

    public override long GetInt64(int ordinal) => (long)GetValue(ordinal);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override IEnumerator GetEnumerator() => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rows.Dispose();
        }

        base.Dispose(disposing);
    }
}
