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

    public void AppendValue(in BulkValue value, BulkValues values)
    {
        switch (value.Kind)
        {
            case BulkValueKind.Null:
                Append('\\');
                Append('N');
                break;
            case BulkValueKind.Int32:
            case BulkValueKind.Int64:
                AppendFormatted(value.Bits);
                break;
            case BulkValueKind.Double:
                AppendDouble(BitConverter.Int64BitsToDouble(value.Bits));
                break;
            case BulkValueKind.Boolean:
                Append(value.Bits != 0 ? 't' : 'f');
                break;
            case BulkValueKind.String:
                AppendEscaped((string)value.Reference!);
                break;
            case BulkValueKind.Utf8:
                AppendEscaped(values.Utf8(value));
                break;
            case BulkValueKind.Blob:
                AppendBytea((byte[])value.Reference!);
                break;
            default:
                AppendTime(new DateTime(value.Bits));
                break;
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

    private void AppendEscaped(ReadOnlySpan<byte> utf8)
    {
        // Formatted values (addresses and such) are ASCII: copied byte for byte; anything else is decoded first.
        if (System.Text.Ascii.IsValid(utf8) && utf8.IndexOfAny((byte)'\\', (byte)'\t', (byte)'\n') < 0 && !utf8.Contains((byte)'\r'))
        {
            Reserve(utf8.Length);
            System.Text.Ascii.ToUtf16(utf8, _buffer.AsSpan(_length), out var written);
            _length += written;
            return;
        }

        AppendEscaped(System.Text.Encoding.UTF8.GetString(utf8));
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
