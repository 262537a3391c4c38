using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReportJob.IisLogs;

/// <summary>
/// Text that came from a client (user agents, user names) made harmless before it is stored: control and formatting
/// characters (terminal escapes, bidi overrides, zero-width) replaced and a bounded length. Output applies the same
/// <see cref="IsUnsafe"/> rule again to every cell (Cli's OutputWriter), whatever verb and wherever the text came from.
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
