using System.Globalization;

namespace ReportJob.Storage;

/// <summary>
/// Reads Microsoft.Data.Sqlite's text form of a time ("yyyy-MM-dd HH:mm:ss" with up to seven fraction digits)
/// without the general parser, which costs more than the rest of a row when a report reads millions of them.
/// </summary>
public static class DbTimeText
{
    public static DateTime ParseUtc(string text)
    {
        var s = text.AsSpan();
        if (s.Length >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && s[16] == ':'
            && TryDigits(s[..4], out var year) && TryDigits(s.Slice(5, 2), out var month) && TryDigits(s.Slice(8, 2), out var day)
            && TryDigits(s.Slice(11, 2), out var hour) && TryDigits(s.Slice(14, 2), out var minute) && TryDigits(s.Slice(17, 2), out var second))
        {
            long ticks = 0;
            var rest = s[19..];
            if (rest.Length > 1 && rest[0] == '.')
            {
                var fraction = rest[1..];
                var digits = 0;
                while (digits < fraction.Length && digits < 7 && char.IsAsciiDigit(fraction[digits]))
                {
                    ticks = (ticks * 10) + (fraction[digits] - '0');
                    digits++;
                }

                for (var i = digits; i < 7; i++)
                {
                    ticks *= 10;
                }

                rest = fraction[digits..];
            }

            if (rest.Length == 0 || (rest.Length == 1 && rest[0] == 'Z'))
            {
                return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
            }
        }

        return DbTime.Utc(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var ch in s)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }

            value = (value * 10) + (ch - '0');
        }

        return true;
    }
}
