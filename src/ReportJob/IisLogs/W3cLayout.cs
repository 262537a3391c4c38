using System.Text;

namespace ReportJob.IisLogs;

/// <summary>The layout a <c>#Fields:</c> directive announces: which field index holds what ReportJob reads.</summary>
internal sealed class W3cLayout
{
    private W3cLayout(W3cField[] roles, int lastNeeded, bool hasDate)
    {
        Roles = roles;
        LastNeeded = lastNeeded;
        HasDate = hasDate;
    }

    /// <summary>The role of each field, by position.</summary>
    public W3cField[] Roles { get; }

    public int Count => Roles.Length;

    /// <summary>The index of the last field read; the fields after it are only counted.</summary>
    public int LastNeeded { get; }

    /// <summary>False when the layout has no <c>date</c> field: the day comes from the <c>#Date</c> directive (W3C).</summary>
    public bool HasDate { get; }

    public bool HasClientIp => Array.IndexOf(Roles, W3cField.ClientIp) >= 0;

    /// <summary>Parses the names after <c>#Fields:</c> (separated by spaces).</summary>
    public static W3cLayout Parse(ReadOnlySpan<byte> names, string forwardedForField)
    {
        var roles = new List<W3cField>();
        var text = Encoding.UTF8.GetString(names);
        foreach (var name in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles.Add(RoleOf(name, forwardedForField));
        }

        var lastNeeded = -1;
        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] != W3cField.Ignored)
            {
                lastNeeded = i;
            }
        }

        return new W3cLayout([.. roles], lastNeeded, roles.Contains(W3cField.Date));
    }

    private static W3cField RoleOf(string name, string forwardedForField)
    {
        if (name.Equals(forwardedForField, StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("cs(", StringComparison.OrdinalIgnoreCase) && name.EndsWith(')')
                && name.AsSpan(3, name.Length - 4).Equals(forwardedForField, StringComparison.OrdinalIgnoreCase)))
        {
            return W3cField.ForwardedFor;
        }

        return name.ToLowerInvariant() switch
        {
            "date" => W3cField.Date,
            "time" => W3cField.Time,
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
}
