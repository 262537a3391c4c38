using System.Globalization;
using System.Numerics;
using System.Text;

namespace ReportJob.Storage;

/// <summary>
/// Reads Microsoft.Data.Sqlite's text form of a time ("yyyy-MM-dd HH:mm:ss" with up to seven fraction digits, optionally
/// 'T' for the space and a closing 'Z') without the general parser, which costs more than the rest of a row when a report
/// reads millions of them; from a string or straight from SQLite's UTF-8 bytes. Any other text goes to the general
/// parser, which throws <see cref="FormatException"/> when it is no time at all.
/// </summary>
public static class DbTimeText
{
    public static DateTime ParseUtc(string text) =>
        TryParseFixed(text.AsSpan(), out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : ParseGeneral(text);

    /// <summary>UTC ticks of the time in <paramref name="utf8"/>; a string is made only when the text is not in the fixed form.</summary>
    public static long ParseUtcTicks(ReadOnlySpan<byte> utf8) =>
        TryParseFixed(utf8, out var ticks) ? ticks : ParseGeneral(Encoding.UTF8.GetString(utf8)).Ticks;

    private static DateTime ParseGeneral(string text) =>
        DbTime.Utc(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));

    // One implementation for UTF-16 and UTF-8 text: T is char or byte, and both hold ASCII digits as their values.
    private static bool TryParseFixed<T>(ReadOnlySpan<T> s, out long ticks)
        where T : unmanaged, IBinaryInteger<T>
    {
        ticks = 0;
        if (s.Length < 19 || !Is(s[4], '-') || !Is(s[7], '-') || !(Is(s[10], ' ') || Is(s[10], 'T')) || !Is(s[13], ':') || !Is(s[16], ':')
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fraction = 0;
        var rest = s[19..];
        if (rest.Length > 1 && Is(rest[0], '.'))
        {
            var digits = rest[1..];
            var n = 0;
            while (n < digits.Length && n < 7 && Digit(digits[n]) >= 0)
            {
                fraction = (fraction * 10) + Digit(digits[n]);
                n++;
            }

            for (var i = n; i < 7; i++)
            {
                fraction *= 10;
            }

            rest = digits[n..];
        }

        if (rest.Length > 1 || (rest.Length == 1 && !Is(rest[0], 'Z')))
        {
            return false;
        }

        ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fraction;
        return true;
    }

    private static bool Is<T>(T value, char c)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(value) == c;

    private static int Digit<T>(T value)
        where T : unmanaged, IBinaryInteger<T>
    {
        var d = int.CreateTruncating(value) - '0';
        return (uint)d <= 9 ? d : -1;
    }

    private static bool TryDigits<T>(ReadOnlySpan<T> s, out int value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        foreach (var ch in s)
        {
            var d = Digit(ch);
            if (d < 0)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
