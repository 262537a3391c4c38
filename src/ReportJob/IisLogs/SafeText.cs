using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReportJob.IisLogs;

/// <summary>
/// Text that came from a client (user agents, user names) made harmless: stored with control and formatting characters
/// (terminal escapes, bidi overrides, zero-width) replaced and a bounded length; shown again through these methods so a
/// value from anywhere cannot drive a terminal, break a table or a CSV row, or start a spreadsheet formula.
/// </summary>
public static class SafeText
{
    public const char Replacement = '\uFFFD';

    /// <summary>Decodes a log field (UTF-8; invalid bytes become U+FFFD), optionally turning IIS's <c>+</c> back into spaces.</summary>
    public static string FromLog(ReadOnlySpan<byte> utf8, bool plusIsSpace, int maxLength)
    {
        char[]? rented = null;
        var max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        var chars = max <= 1024 ? stackalloc char[max] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetChars(utf8, chars);
            for (var i = 0; i < n; i++)
            {
                var c = chars[i];
                if (plusIsSpace && c == '+')
                {
                    chars[i] = ' ';
                }
                else if (IsUnsafe(c))
                {
                    chars[i] = Replacement;
                }
            }

            return Truncate(chars[..n], maxLength);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The value with unsafe characters replaced (the same instance when there are none).</summary>
    public static string ForDisplay(string value)
    {
        var first = -1;
        for (var i = 0; i < value.Length; i++)
        {
            if (IsUnsafe(value[i]))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return value;
        }

        return string.Create(value.Length, (value, first), static (span, state) =>
        {
            state.value.AsSpan().CopyTo(span);
            for (var i = state.first; i < span.Length; i++)
            {
                if (IsUnsafe(span[i]))
                {
                    span[i] = Replacement;
                }
            }
        });
    }

    /// <summary>
    /// One CSV field: unsafe characters replaced, a leading <c>= + - @</c> (or tab, CR) prefixed with <c>'</c> so that
    /// Excel and LibreOffice show it as text instead of running it as a formula (OWASP "CSV injection"), quoted per RFC 4180.
    /// </summary>
    public static string ForCsv(string value)
    {
        var s = ForDisplay(value);
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            s = "'" + s;
        }

        return s.AsSpan().IndexOfAny(",\"\n\r;") >= 0 || (s.Length > 0 && (s[0] == ' ' || s[^1] == ' '))
            ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : s;
    }

    /// <summary>At most <paramref name="maxLength"/> characters, the last one an ellipsis when cut; never splits a surrogate pair.</summary>
    public static string Truncate(ReadOnlySpan<char> value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return new string(value);
        }

        var cut = Math.Max(0, maxLength - 1);
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return string.Concat(value[..cut], "…");
    }

    /// <summary>Control characters (C0, DEL, C1), formatting characters (bidi overrides, zero-width) and line separators.</summary>
    public static bool IsUnsafe(char c) =>
        c < ' ' || (c >= '\u007F' && (c <= '\u009F' || ((c > '\u00FF' || c == '\u00AD') && IsUnsafeCategory(c))));

    private static bool IsUnsafeCategory(char c) => CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control;
}
