using System.Globalization;

namespace ReportJob.IisLogs;

/// <summary>Where a surplus token (a space IIS did not escape) belongs: the slow path, taken by such lines only.</summary>
internal sealed partial class W3cParser
{
    /// <summary>
    /// Reads a line that has one field more than its layout lists, when exactly one free-text field can take the
    /// extra token: that field then spans two tokens (with the space between them), every other field one, and every
    /// field must hold a value of its kind. Otherwise says why not.
    /// </summary>
    private static bool TryPlaceSurplus(ReadOnlySpan<byte> line, W3cLayout layout, out Placed placed, out string? error)
    {
        var count = layout.Count + 1;
        Span<Range> tokens = count <= 64 ? stackalloc Range[64] : new Range[count];
        Span<bool> quoted = count <= 64 ? stackalloc bool[64] : new bool[count];
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var next = NextField(line[start..], out var value, out quoted[i]);
            var offset = quoted[i] ? start + 1 : start;
            tokens[i] = new Range(offset, offset + value.Length);
            if (next < 0 && i < count - 1)
            {
                throw new InvalidOperationException("the line has fewer fields than were counted");
            }

            start += next;
        }

        var kinds = layout.Kinds;
        var fits = -1;
        var fitting = new List<string>(2);
        for (var f = 0; f < layout.Count; f++)
        {
            if (W3cLayout.IsFreeText(kinds[f]) && CanTakeMore(kinds[f], line[tokens[f]]) && AllFit(line, kinds, tokens, f))
            {
                fits = f;
                fitting.Add(Name(kinds[f]));
            }
        }

        placed = default;
        if (fitting.Count != 1)
        {
            error = fitting.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{count} fields where #Fields lists {layout.Count}, and no free-text field (cs(User-Agent), cs-uri-query, cs(Referer), cs(Cookie)) can hold the extra one")
                : string.Create(CultureInfo.InvariantCulture, $"{count} fields where #Fields lists {layout.Count}: the extra one could belong to {string.Join(" or ", fitting)}");
            return false;
        }

        for (var j = 0; j < layout.Count; j++)
        {
            // The field that took the surplus spans its two tokens as they stand in the line, the space between them included.
            var wasQuoted = j < fits ? quoted[j] : j > fits && quoted[j + 1];
            placed.Assign(layout.Roles[j], Value(line, tokens, fits, j), wasQuoted);
        }

        error = null;
        return true;
    }

    /// <summary>The value of field <paramref name="field"/> when field <paramref name="surplusAt"/> takes two tokens.</summary>
    private static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> line, scoped ReadOnlySpan<Range> tokens, int surplusAt, int field) =>
        field < surplusAt ? line[tokens[field]]
        : field == surplusAt ? line[tokens[field].Start..tokens[field + 1].End]
        : line[tokens[field + 1]];

    private static bool AllFit(ReadOnlySpan<byte> line, ReadOnlySpan<W3cValueKind> kinds, ReadOnlySpan<Range> tokens, int surplusAt)
    {
        for (var j = 0; j < kinds.Length; j++)
        {
            if (!Fits(kinds[j], Value(line, tokens, surplusAt, j)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a free-text field whose first token is <paramref name="first"/> can run on into the next token.</summary>
    private static bool CanTakeMore(W3cValueKind kind, ReadOnlySpan<byte> first) =>
        !IsDash(first) && kind switch
        {
            W3cValueKind.Referer => IsAbsoluteUri(first),
            W3cValueKind.Cookie => first.Contains((byte)'='),
            _ => true,
        };

    private static bool Fits(W3cValueKind kind, ReadOnlySpan<byte> value)
    {
        if (IsDash(value))
        {
            return true;
        }

        switch (kind)
        {
            case W3cValueKind.Integer:
                return !value.IsEmpty && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
            case W3cValueKind.Address:
                return IisAggregator.Canonical(value) is not null;
            case W3cValueKind.Date:
                return TryParseDate(value, out _);
            case W3cValueKind.Time:
                return TrySecondOfDay(value, out _);
            case W3cValueKind.Method:
                foreach (var b in value)
                {
                    if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'-'))
                    {
                        return false;
                    }
                }

                return !value.IsEmpty;
            case W3cValueKind.UriStem:
                return !value.IsEmpty && value[0] is (byte)'/' or (byte)'*';
            case W3cValueKind.Version:
                return value.StartsWith("HTTP/"u8);
            case W3cValueKind.Referer:
                return IsAbsoluteUri(value);
            case W3cValueKind.Cookie:
                return value.Contains((byte)'=');
            default:
                return !value.IsEmpty;
        }
    }

    /// <summary>A referrer is an absolute URI: a scheme (RFC 3986 §3.1) and a colon.</summary>
    private static bool IsAbsoluteUri(ReadOnlySpan<byte> value)
    {
        var colon = value.IndexOf((byte)':');
        if (colon < 1 || !char.IsAsciiLetter((char)value[0]))
        {
            return false;
        }

        foreach (var b in value[1..colon])
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDash(ReadOnlySpan<byte> value) => value.Length == 1 && value[0] == (byte)'-';

    private static string Name(W3cValueKind kind) => kind switch
    {
        W3cValueKind.UserAgent => "cs(User-Agent)",
        W3cValueKind.UriQuery => "cs-uri-query",
        W3cValueKind.Referer => "cs(Referer)",
        _ => "cs(Cookie)",
    };
}
