using System.Globalization;

namespace ReportJob.Storage;

/// <summary>
/// Rows of PostgreSQL's COPY text format: values separated by tabs, <c>\N</c> for NULL, and backslash, tab, newline
/// and carriage return escaped with a backslash. Times are written as UTC with microseconds (PostgreSQL's precision,
/// truncated as the binary protocol does), bytea as <c>\x</c> hex.
/// </summary>
internal sealed class PostgresCopyText
{
    private char[] _buffer = new char[1 << 17];
    private int _length;

    public ReadOnlyMemory<char> Text => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void Append(char c)
    {
        Reserve(1);
        _buffer[_length++] = c;
    }

    public void AppendValue(object? value, BulkColumn column, string table)
    {
        switch (value)
        {
            case null:
                Append('\\');
                Append('N');
                break;
            case int v:
                AppendFormatted(v);
                break;
            case long v:
                AppendFormatted(v);
                break;
            case double v:
                AppendDouble(v);
                break;
            case bool v:
                Append(v ? 't' : 'f');
                break;
            case string v:
                AppendEscaped(v);
                break;
            case byte[] v:
                AppendBytea(v);
                break;
            case DateTime v:
                AppendTime(v);
                break;
            default:
                throw new InvalidOperationException($"Column {column.Name} of {table}: unsupported value type {value.GetType()}");
        }
    }

    private void AppendFormatted<TValue>(TValue value)
        where TValue : ISpanFormattable
    {
        Reserve(32);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void AppendDouble(double value)
    {
        if (double.IsNaN(value))
        {
            AppendEscaped("NaN");
        }
        else if (double.IsInfinity(value))
        {
            AppendEscaped(value > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            Reserve(32);
            value.TryFormat(_buffer.AsSpan(_length), out var written, "R", CultureInfo.InvariantCulture);
            _length += written;
        }
    }

    private void AppendEscaped(string text)
    {
        Reserve(text.Length * 2);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    _buffer[_length++] = '\\';
                    _buffer[_length++] = '\\';
                    break;
                case '\t':
                    _buffer[_length++] = '\\';
                    _buffer[_length++] = 't';
                    break;
                case '\n':
                    _buffer[_length++] = '\\';
                    _buffer[_length++] = 'n';
                    break;
                case '\r':
                    _buffer[_length++] = '\\';
                    _buffer[_length++] = 'r';
                    break;
                default:
                    _buffer[_length++] = c;
                    break;
            }
        }
    }

    private void AppendBytea(byte[] bytes)
    {
        // "\x" + hex: the backslash of bytea's hex form is itself escaped in COPY text.
        Reserve(3 + (bytes.Length * 2));
        _buffer[_length++] = '\\';
        _buffer[_length++] = '\\';
        _buffer[_length++] = 'x';
        Convert.TryToHexStringLower(bytes, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    private void AppendTime(DateTime value)
    {
        // The value is taken as UTC whatever its Kind, as the binary importer did (DateTime.SpecifyKind(Utc)).
        var microseconds = (int)(value.Ticks % TimeSpan.TicksPerSecond / 10);
        Reserve(40);
        value.TryFormat(_buffer.AsSpan(_length), out var written, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        _length += written;
        _buffer[_length++] = '.';
        microseconds.TryFormat(_buffer.AsSpan(_length), out written, "D6", CultureInfo.InvariantCulture);
        _length += written;
        _buffer[_length++] = '+';
        _buffer[_length++] = '0';
        _buffer[_length++] = '0';
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
