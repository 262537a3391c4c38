using System.Text;

namespace ReportJob.IisLogs;

/// <summary>The layout a <c>#Fields:</c> directive announces: which field index holds what ReportJob reads.</summary>
internal sealed class W3cLayout
{
    private W3cLayout(W3cField[] roles, W3cValueKind[] kinds)
    {
        Roles = roles;
        Kinds = kinds;
        LastNeeded = Array.FindLastIndex(roles, r => r != W3cField.Ignored);
        HasDate = Array.IndexOf(roles, W3cField.Date) >= 0;
        HasLocalDate = Array.IndexOf(roles, W3cField.LocalDate) >= 0;
        HasLocalTime = Array.IndexOf(roles, W3cField.LocalTime) >= 0;
    }

    /// <summary>The role of each field, by position.</summary>
    public W3cField[] Roles { get; }

    /// <summary>What each field's value looks like, by position (read only to place a surplus token).</summary>
    public W3cValueKind[] Kinds { get; }

    public int Count => Roles.Length;

    /// <summary>The index of the last field read; the fields after it are only counted.</summary>
    public int LastNeeded { get; }

    /// <summary>False when the layout has no UTC <c>date</c> field: the day comes from <c>date-local</c> or the <c>#Date</c> directive (W3C).</summary>
    public bool HasDate { get; }

    public bool HasLocalDate { get; }

    public bool HasLocalTime { get; }

    public bool HasClientIp => Array.IndexOf(Roles, W3cField.ClientIp) >= 0;

    /// <summary>Whether a field can take a surplus token: <c>cs(User-Agent)</c>, <c>cs-uri-query</c>, <c>cs(Referer)</c>, <c>cs(Cookie)</c>.</summary>
    public static bool IsFreeText(W3cValueKind kind) => kind is W3cValueKind.UserAgent or W3cValueKind.UriQuery or W3cValueKind.Referer or W3cValueKind.Cookie;

    /// <summary>
    /// Parses the names after <c>#Fields:</c>, separated by one or more spaces (IIS Advanced Logging writes several
    /// after the colon).
    /// </summary>
    public static W3cLayout Parse(ReadOnlySpan<byte> names, string forwardedForField)
    {
        var roles = new List<W3cField>();
        var kinds = new List<W3cValueKind>();
        var text = Encoding.UTF8.GetString(names);
        foreach (var name in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var lower = name.ToLowerInvariant();
            roles.Add(RoleOf(name, lower, forwardedForField));
            kinds.Add(KindOf(lower));
        }

        return new W3cLayout([.. roles], [.. kinds]);
    }

    private static W3cField RoleOf(string name, string lower, string forwardedForField)
    {
        if (name.Equals(forwardedForField, StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("cs(", StringComparison.OrdinalIgnoreCase) && name.EndsWith(')')
                && name.AsSpan(3, name.Length - 4).Equals(forwardedForField, StringComparison.OrdinalIgnoreCase)))
        {
            return W3cField.ForwardedFor;
        }

        return lower switch
        {
            "date" or "date-utc" => W3cField.Date,
            "time" or "time-utc" => W3cField.Time,
            "date-local" => W3cField.LocalDate,
            "time-local" => W3cField.LocalTime,
            "c-ip" => W3cField.ClientIp,
            "cs-uri-stem" => W3cField.UriStem,
            "cs-username" => W3cField.UserName,
            "cs(user-agent)" => W3cField.UserAgent,
            "sc-status" => W3cField.Status,
            "sc-bytes" => W3cField.BytesSent,
            "cs-bytes" => W3cField.BytesReceived,
            _ => W3cField.Ignored,
        };
    }

    private static W3cValueKind KindOf(string lower) => lower switch
    {
        "date" or "date-utc" or "date-local" => W3cValueKind.Date,
        "time" or "time-utc" or "time-local" => W3cValueKind.Time,
        "c-ip" or "s-ip" => W3cValueKind.Address,
        "s-port" or "sc-status" or "sc-substatus" or "sc-win32-status" or "sc-bytes" or "cs-bytes" or "time-taken" or "timetakenms" => W3cValueKind.Integer,
        "cs-method" => W3cValueKind.Method,
        "cs-uri-stem" => W3cValueKind.UriStem,
        "cs-version" => W3cValueKind.Version,
        "cs(user-agent)" => W3cValueKind.UserAgent,
        "cs-uri-query" => W3cValueKind.UriQuery,
        "cs(referer)" => W3cValueKind.Referer,
        "cs(cookie)" => W3cValueKind.Cookie,
        _ => W3cValueKind.Any,
    };
}
