using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ReportJob.IisLogs;

/// <summary>
/// Parses W3C extended log lines (IIS): directives set the layout (<c>#Fields:</c>, which may change wherever IIS
/// writes the header again, e.g. after a restart) and the date (<c>#Date:</c>); a record is split on single spaces
/// into slices of the line, and only the fields ReportJob reads are looked at. One instance per file.
/// </summary>
internal sealed class W3cParser(string forwardedForField)
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly byte[] _lastDate = new byte[10];
    private W3cLayout? _layout;
    private DateOnly? _directiveDay;
    private bool _hasLastDate;
    private DateOnly _lastDay;

    public W3cLayout? Layout => _layout;

    /// <summary>The <c>#Date:</c> and <c>#Fields:</c> lines in effect: replayed when an import continues a log that grew.</summary>
    public string Header => string.Join('\n', new[] { DateDirective, FieldsDirective }.Where(l => l is not null));

    private string? DateDirective { get; set; }

    private string? FieldsDirective { get; set; }

    /// <summary>Parses one line (without its <c>\n</c>). A bad line leaves the parser's state as it was.</summary>
    public W3cLineStatus ParseLine(ReadOnlySpan<byte> line, out W3cRecord record, out string? error)
    {
        record = default;
        error = null;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.StartsWith(Utf8Bom))
        {
            line = line[3..];
        }

        if (line.IsEmpty)
        {
            return W3cLineStatus.Blank;
        }

        if (line[0] == (byte)'#')
        {
            return ParseDirective(line, out error);
        }

        var layout = _layout;
        if (layout is null)
        {
            error = "record before any #Fields directive";
            return W3cLineStatus.Bad;
        }

        var roles = layout.Roles;
        var rest = line;
        ReadOnlySpan<byte> date = default, status = default, sent = default, received = default;
        var index = 0;
        while (true)
        {
            var space = rest.IndexOf((byte)' ');
            var field = space < 0 ? rest : rest[..space];
            switch (roles[index])
            {
                case W3cField.Date: date = field; break;
                case W3cField.ClientIp: record.ClientIp = field; break;
                case W3cField.UriStem: record.UriStem = field; break;
                case W3cField.UserName: record.UserName = field; break;
                case W3cField.UserAgent: record.UserAgent = field; break;
                case W3cField.Status: status = field; break;
                case W3cField.BytesSent: sent = field; break;
                case W3cField.BytesReceived: received = field; break;
                case W3cField.ForwardedFor: record.ForwardedFor = field; break;
            }

            index++;
            if (space < 0)
            {
                break;
            }

            rest = rest[(space + 1)..];
            if (index > layout.LastNeeded || index == roles.Length)
            {
                // The rest is only counted (vectorised), not split.
                index += 1 + rest.Count((byte)' ');
                break;
            }
        }

        if (index != roles.Length)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{index} fields where #Fields lists {roles.Length}");
            return W3cLineStatus.Bad;
        }

        if (layout.HasDate)
        {
            if (!TryDay(date, out record.Day))
            {
                error = "date is not yyyy-MM-dd";
                return W3cLineStatus.Bad;
            }
        }
        else if (_directiveDay is { } day)
        {
            record.Day = day;
        }
        else
        {
            error = "no date field and no #Date directive";
            return W3cLineStatus.Bad;
        }

        if (status.IsEmpty)
        {
            record.Status = 0;
        }
        else if (!Utf8Parser.TryParse(status, out record.Status, out var used) || used != status.Length || record.Status is < 100 or > 999)
        {
            error = "sc-status is not a status code";
            return W3cLineStatus.Bad;
        }

        if (!TryCount(sent, out record.BytesSent) || !TryCount(received, out record.BytesReceived))
        {
            error = "sc-bytes or cs-bytes is not a number";
            return W3cLineStatus.Bad;
        }

        return W3cLineStatus.Record;
    }

    private W3cLineStatus ParseDirective(ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        if (line.StartsWith("#Fields:"u8))
        {
            var layout = W3cLayout.Parse(line["#Fields:"u8.Length..], forwardedForField);
            if (layout.Count == 0)
            {
                error = "#Fields directive lists no fields";
                return W3cLineStatus.Bad;
            }

            _layout = layout;
            FieldsDirective = Encoding.UTF8.GetString(line);
        }
        else if (line.StartsWith("#Date:"u8))
        {
            var value = line["#Date:"u8.Length..].Trim((byte)' ');
            if (value.Length < 10 || !TryParseDate(value[..10], out var day))
            {
                error = "#Date directive is not yyyy-MM-dd hh:mm:ss";
                return W3cLineStatus.Bad;
            }

            _directiveDay = day;
            DateDirective = Encoding.UTF8.GetString(line);
        }

        // #Software, #Version, #Start-Date, #End-Date, #Remark: nothing ReportJob needs.
        return W3cLineStatus.Directive;
    }

    private bool TryDay(ReadOnlySpan<byte> date, out DateOnly day)
    {
        // Every line of a day carries the same ten bytes: parse once per change.
        if (_hasLastDate && date.SequenceEqual(_lastDate))
        {
            day = _lastDay;
            return true;
        }

        if (!TryParseDate(date, out day))
        {
            return false;
        }

        date.CopyTo(_lastDate);
        _lastDay = day;
        _hasLastDate = true;
        return true;
    }

    private static bool TryParseDate(ReadOnlySpan<byte> s, out DateOnly day)
    {
        day = default;
        if (s.Length != 10 || s[4] != (byte)'-' || s[7] != (byte)'-')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var y) || !TryDigits(s.Slice(5, 2), out var m) || !TryDigits(s.Slice(8, 2), out var d))
        {
            return false;
        }

        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        day = new DateOnly(y, m, d);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static bool TryCount(ReadOnlySpan<byte> field, out long value)
    {
        if (field.IsEmpty || (field.Length == 1 && field[0] == (byte)'-'))
        {
            value = -1;
            return true;
        }

        return Utf8Parser.TryParse(field, out value, out var used) && used == field.Length && value >= 0;
    }
}
