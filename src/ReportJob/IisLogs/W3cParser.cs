using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ReportJob.IisLogs;

/// <summary>
/// Parses W3C extended log lines as IIS writes them and as the IIS Advanced Logging Module writes them: directives set
/// the layout (<c>#Fields:</c>, which may change wherever the header is written again, e.g. after a restart) and the
/// date (<c>#Date:</c>); any other directive and blank lines are skipped. A record is split on single spaces into
/// slices of the line; a value in quotation marks (Advanced Logging quotes its string values, spaces included) is one
/// field. Only the fields ReportJob reads are looked at. One instance per file.
/// </summary>
/// <remarks>
/// IIS escapes a space inside a value as <c>+</c>, but not always (Exchange logs show user agents and queries with raw
/// spaces). A record with exactly one field more than <c>#Fields</c> lists is read when exactly one free-text field
/// (<c>cs(User-Agent)</c>, <c>cs-uri-query</c>, <c>cs(Referer)</c>, <c>cs(Cookie)</c>) can hold the extra token with
/// every other field still holding a value of its kind; otherwise it is a bad line, with the reason.
/// </remarks>
internal sealed partial class W3cParser(string forwardedForField, TimeZoneInfo localTimeZone)
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly byte[] _lastDate = new byte[10];
    private readonly LocalDayConverter _localDays = new(localTimeZone);
    private W3cLayout? _layout;
    private DateOnly? _directiveDay;
    private bool _hasLastDate;
    private DateOnly _lastDay;

    public W3cParser(string forwardedForField)
        : this(forwardedForField, TimeZoneInfo.Utc)
    {
    }

    public W3cLayout? Layout => _layout;

    /// <summary>Record lines (good or bad) since the <c>#Fields</c> directive in effect.</summary>
    public long RecordsUnderLayout { get; private set; }

    /// <summary>The fields the last line carried when they were more than <c>#Fields</c> lists and could not be placed; else 0.</summary>
    public int TooManyFields { get; private set; }

    /// <summary>The <c>#Date:</c> and <c>#Fields:</c> lines in effect: replayed when an import continues a log that grew.</summary>
    public string Header => string.Join('\n', new[] { DateDirective, FieldsDirective }.Where(l => l is not null));

    private string? DateDirective { get; set; }

    private string? FieldsDirective { get; set; }

    /// <summary>Parses one line (without its <c>\n</c>). A bad line leaves the parser's state as it was.</summary>
    public W3cLineStatus ParseLine(ReadOnlySpan<byte> line, out W3cRecord record, out string? error)
    {
        record = default;
        error = null;
        TooManyFields = 0;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.StartsWith(Utf8Bom))
        {
            line = line[3..];
        }

        if (line.IsEmpty || (line[0] is (byte)' ' or (byte)'\t' && line.Trim(" \t"u8).IsEmpty))
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

        RecordsUnderLayout++;

        // IIS's own lines (no quotation marks) are split here, into separate locals that the JIT keeps in registers;
        // lines with quoted values or a field too many take ParseSlowly. A per-field quote test or a struct of the
        // values on this path cost 5-15 % of the parsing (measured on 4.26 M lines).
        if (line.IndexOf((byte)'"') >= 0)
        {
            return ParseSlowly(line, layout, out record, out error);
        }

        var roles = layout.Roles;
        ReadOnlySpan<byte> date = default, localDate = default, localTime = default, status = default, sent = default, received = default;
        var rest = line;
        var index = 0;
        while (true)
        {
            var space = rest.IndexOf((byte)' ');
            var field = space < 0 ? rest : rest[..space];
            switch (roles[index])
            {
                case W3cField.Date: date = field; break;
                case W3cField.LocalDate: localDate = field; break;
                case W3cField.LocalTime: localTime = field; break;
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
            if (index == roles.Length + 1)
            {
                return ParseSlowly(line, layout, out record, out error);
            }

            TooManyFields = index > roles.Length ? index : 0;
            error = string.Create(CultureInfo.InvariantCulture, $"{index} fields where #Fields lists {roles.Length}");
            return W3cLineStatus.Bad;
        }

        return Decode(layout, date, localDate, localTime, status, sent, received, out record.Day, out record.Status, out record.BytesSent, out record.BytesReceived, out error);
    }

    /// <summary>A line with values in quotation marks (IIS Advanced Logging) or one field more than its layout lists.</summary>
    private W3cLineStatus ParseSlowly(ReadOnlySpan<byte> line, W3cLayout layout, out W3cRecord record, out string? error)
    {
        record = default;
        var count = SplitQuoted(line, layout.Roles, out var placed);
        if (count != layout.Count)
        {
            error = null;
            if (count != layout.Count + 1 || !TryPlaceSurplus(line, layout, out placed, out error))
            {
                TooManyFields = count > layout.Count ? count : 0;
                error ??= string.Create(CultureInfo.InvariantCulture, $"{count} fields where #Fields lists {layout.Count}");
                return W3cLineStatus.Bad;
            }
        }

        record.ClientIp = placed.ClientIp;
        record.UriStem = placed.UriStem;
        record.UserName = placed.UserName;
        record.UserAgent = placed.UserAgent;
        record.UserAgentQuoted = placed.UserAgentQuoted;
        record.ForwardedFor = placed.ForwardedFor;
        return Decode(layout, placed.Date, placed.LocalDate, placed.LocalTime, placed.Status, placed.Sent, placed.Received, out record.Day, out record.Status, out record.BytesSent, out record.BytesReceived, out error);
    }

    /// <summary>The values the record holds decoded: its day, status and byte counts.</summary>
    private W3cLineStatus Decode(
        W3cLayout layout,
        ReadOnlySpan<byte> date,
        ReadOnlySpan<byte> localDate,
        ReadOnlySpan<byte> localTime,
        ReadOnlySpan<byte> status,
        ReadOnlySpan<byte> sent,
        ReadOnlySpan<byte> received,
        out DateOnly day,
        out int statusCode,
        out long bytesSent,
        out long bytesReceived,
        out string? error)
    {
        statusCode = 0;
        bytesSent = bytesReceived = -1;
        if (layout.HasDate)
        {
            if (!TryDay(date, out day))
            {
                error = "date is not yyyy-MM-dd";
                return W3cLineStatus.Bad;
            }
        }
        else if (!TryOtherDay(layout, localDate, localTime, out day, out error))
        {
            return W3cLineStatus.Bad;
        }

        if (!status.IsEmpty && (!Utf8Parser.TryParse(status, out statusCode, out var used) || used != status.Length || statusCode is < 100 or > 999))
        {
            error = "sc-status is not a status code";
            return W3cLineStatus.Bad;
        }

        if (!TryCount(sent, out bytesSent) || !TryCount(received, out bytesReceived))
        {
            error = "sc-bytes or cs-bytes is not a number";
            return W3cLineStatus.Bad;
        }

        error = null;
        return W3cLineStatus.Record;
    }

    /// <summary>
    /// A value in quotation marks, ending at a quote followed by a space or the end of the line (a doubled quote
    /// inside does not end it). False when there is no such end: then the field is read up to the next space.
    /// </summary>
    private static bool TryQuoted(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> value, out int next)
    {
        var at = 1;
        while (true)
        {
            var quote = rest[at..].IndexOf((byte)'"');
            if (quote < 0)
            {
                value = default;
                next = -1;
                return false;
            }

            var end = at + quote;
            if (end + 1 == rest.Length)
            {
                value = rest[1..end];
                next = -1;
                return true;
            }

            if (rest[end + 1] == (byte)' ')
            {
                value = rest[1..end];
                next = end + 2;
                return true;
            }

            at = rest[end + 1] == (byte)'"' ? end + 2 : end + 1;
            if (at >= rest.Length)
            {
                value = default;
                next = -1;
                return false;
            }
        }
    }

    /// <summary>Splits a line with values in quotation marks into <paramref name="placed"/>; returns its field count.</summary>
    private static int SplitQuoted(ReadOnlySpan<byte> line, W3cField[] roles, out Placed placed)
    {
        placed = default;
        var count = 0;
        while (true)
        {
            var next = NextField(line, out var value, out var quoted);
            if (count < roles.Length)
            {
                placed.Assign(roles[count], value, quoted);
            }

            count++;
            if (next < 0)
            {
                return count;
            }

            line = line[next..];
        }
    }

    /// <summary>The first field of <paramref name="rest"/> and where the next one starts (-1 at the end of the line).</summary>
    private static int NextField(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> value, out bool quoted)
    {
        if (!rest.IsEmpty && rest[0] == (byte)'"' && TryQuoted(rest, out value, out var next))
        {
            quoted = true;
            return next;
        }

        quoted = false;
        var space = rest.IndexOf((byte)' ');
        value = space < 0 ? rest : rest[..space];
        return space < 0 ? -1 : space + 1;
    }

    /// <summary>The day of a record whose layout has no UTC <c>date</c> field: from <c>date-local</c>, else from <c>#Date</c>.</summary>
    private bool TryOtherDay(W3cLayout layout, ReadOnlySpan<byte> localDate, ReadOnlySpan<byte> localTime, out DateOnly day, out string? error)
    {
        if (layout.HasLocalDate)
        {
            return TryLocalDay(layout, localDate, localTime, out day, out error);
        }

        error = null;
        if (_directiveDay is { } directiveDay)
        {
            day = directiveDay;
            return true;
        }

        day = default;
        error = "no date field and no #Date directive";
        return false;
    }

    /// <summary>The UTC day of a local date and time (IIS Advanced Logging's <c>date-local</c>, <c>time-local</c>) in the configured zone.</summary>
    private bool TryLocalDay(W3cLayout layout, ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, out DateOnly day, out string? error)
    {
        error = null;
        day = default;
        if (!layout.HasLocalTime)
        {
            error = "date-local without time-local: the UTC day is not known";
            return false;
        }

        if (!TryDay(date, out var localDay))
        {
            error = "date-local is not yyyy-MM-dd";
            return false;
        }

        if (!TrySecondOfDay(time, out var second))
        {
            error = "time-local is not hh:mm:ss";
            return false;
        }

        if (!_localDays.TryUtcDay(localDay, second, out day))
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"time-local {Encoding.ASCII.GetString(time)} does not exist on {localDay:yyyy-MM-dd} in {localTimeZone.Id} (the clocks were put forward): IisLogs:LocalTimeZone is not the server's zone");
            return false;
        }

        return true;
    }

    private W3cLineStatus ParseDirective(ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        if (StartsWithIgnoreCase(line, "#Fields:"u8))
        {
            var layout = W3cLayout.Parse(line["#Fields:"u8.Length..], forwardedForField);
            if (layout.Count == 0)
            {
                error = "#Fields directive lists no fields";
                return W3cLineStatus.Bad;
            }

            _layout = layout;
            RecordsUnderLayout = 0;
            FieldsDirective = Encoding.UTF8.GetString(line);
        }
        else if (StartsWithIgnoreCase(line, "#Date:"u8))
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

        // #Software, #Version, #Start-Date, #End-Date, #Remark, Advanced Logging's #Filter, …: nothing ReportJob needs.
        return W3cLineStatus.Directive;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix) =>
        line.Length >= prefix.Length && Ascii.EqualsIgnoreCase(line[..prefix.Length], prefix);

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

    /// <summary><c>hh:mm:ss</c>, optionally with a fraction (<c>18:51:29.983</c>, as Advanced Logging writes it).</summary>
    private static bool TrySecondOfDay(ReadOnlySpan<byte> s, out int second)
    {
        second = 0;
        if (s.Length < 8 || s[2] != (byte)':' || s[5] != (byte)':' || (s.Length > 8 && (s[8] != (byte)'.' || !TryDigits(s[9..], out _))))
        {
            return false;
        }

        if (!TryDigits(s[..2], out var h) || !TryDigits(s.Slice(3, 2), out var m) || !TryDigits(s.Slice(6, 2), out var sec) || h > 23 || m > 59 || sec > 59)
        {
            return false;
        }

        second = (h * 3600) + (m * 60) + sec;
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

    /// <summary>Every field ReportJob reads, of a line read by the slow path (<see cref="TryPlaceSurplus"/>).</summary>
    private ref struct Placed
    {
        public ReadOnlySpan<byte> Date;
        public ReadOnlySpan<byte> LocalDate;
        public ReadOnlySpan<byte> LocalTime;
        public ReadOnlySpan<byte> Status;
        public ReadOnlySpan<byte> Sent;
        public ReadOnlySpan<byte> Received;
        public ReadOnlySpan<byte> ClientIp;
        public ReadOnlySpan<byte> UriStem;
        public ReadOnlySpan<byte> UserName;
        public ReadOnlySpan<byte> UserAgent;
        public ReadOnlySpan<byte> ForwardedFor;
        public bool UserAgentQuoted;

        public void Assign(W3cField role, ReadOnlySpan<byte> value, bool quoted)
        {
            switch (role)
            {
                case W3cField.Date: Date = value; break;
                case W3cField.LocalDate: LocalDate = value; break;
                case W3cField.LocalTime: LocalTime = value; break;
                case W3cField.ClientIp: ClientIp = value; break;
                case W3cField.UriStem: UriStem = value; break;
                case W3cField.UserName: UserName = value; break;
                case W3cField.UserAgent: UserAgent = value; UserAgentQuoted = quoted; break;
                case W3cField.Status: Status = value; break;
                case W3cField.BytesSent: Sent = value; break;
                case W3cField.BytesReceived: Received = value; break;
                case W3cField.ForwardedFor: ForwardedFor = value; break;
            }
        }
    }
}
