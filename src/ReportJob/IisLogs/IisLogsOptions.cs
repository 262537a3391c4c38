using System.ComponentModel.DataAnnotations;
using ReportJob.Sites;

namespace ReportJob.IisLogs;

public sealed class IisLogsOptions : IValidatableObject
{
    public const string Section = "IisLogs";

    /// <summary>
    /// Drop folder of IIS W3C logs (<c>*.log</c>, <c>*.log.gz</c>) that <c>reportjob iis inbox</c> imports. Imported
    /// files move to <c>done/</c>, files that cannot be read to <c>failed/</c> with a <c>.reason</c> file beside them.
    /// </summary>
    public string InboxPath { get; set; } = "./inbox/iis";

    /// <summary>
    /// A file in the drop folder modified less than this long ago is left for the next run: it is probably still
    /// being copied there. (A log that IIS is still writing is safe to import at any time; see the README.) Also, for
    /// every import, the last line of a file that does not end in a line feed is counted only once the file has not
    /// been written for this long (before that it may be a line still being written).
    /// </summary>
    public TimeSpan InboxSettleTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The time zone of the servers whose logs carry local times (IIS Advanced Logging's <c>date-local</c> and
    /// <c>time-local</c>), an IANA or Windows id: each request is counted on its UTC day. IIS's own W3C logs are in
    /// UTC and need no zone.
    /// </summary>
    public string LocalTimeZone { get; set; } = "UTC";

    /// <summary>
    /// Count a request for the client that the <see cref="ForwardedForField"/> field names instead of <c>c-ip</c>,
    /// when the field is logged and holds an address: the address the load balancer added (the last one listed), or,
    /// reading on from the right past the <see cref="TrustedProxies"/>, the first address that is not one of them.
    /// The addresses left of it were written by the client or by proxies not trusted, so they are never used.
    /// </summary>
    public bool PreferForwardedFor { get; set; }

    /// <summary>
    /// The load balancers and proxies (addresses or CIDR subnets) whose X-Forwarded-For is believed. Empty: the header is
    /// believed from any <c>c-ip</c> (right when every request comes through the load balancer). Otherwise only a
    /// request whose <c>c-ip</c> is one of them counts for the header's client; they are skipped in the header too.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The custom log field that holds the load balancer's X-Forwarded-For header (<c>X-Forwarded-For</c> or <c>cs(X-Forwarded-For)</c> in <c>#Fields</c>).</summary>
    public string ForwardedForField { get; set; } = "X-Forwarded-For";

    /// <summary>User agents kept per client and day; the requests of the others are counted together as "other".</summary>
    public int TopUserAgents { get; set; } = 10;

    /// <summary>User names (<c>cs-username</c>) kept per client and day; further distinct users are only counted.</summary>
    public int MaxUsersPerClient { get; set; } = 100;

    /// <summary>User agents are stored up to this many characters (at most 400, SQL Server's key limit), control characters replaced.</summary>
    public int MaxUserAgentLength { get; set; } = 400;

    /// <summary>
    /// Distinct (day, client) pairs, user agents or users held in memory before they are written to the store
    /// (inside the file's transaction). Bounds the memory one file can take, whatever its size.
    /// </summary>
    public int FlushThreshold { get; set; } = 200_000;

    /// <summary>Bad lines reported (file and line number) per file; all of them are counted.</summary>
    public int BadLineSamples { get; set; } = 20;

    public TimeZoneInfo ResolveLocalTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(LocalTimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(InboxPath))
        {
            yield return new ValidationResult($"{Section}:InboxPath is required", [nameof(InboxPath)]);
        }

        if (InboxSettleTime < TimeSpan.Zero || InboxSettleTime > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"{Section}:InboxSettleTime {InboxSettleTime} is outside 00:00:00..1.00:00:00", [nameof(InboxSettleTime)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(LocalTimeZone ?? "", out _))
        {
            yield return new ValidationResult($"{Section}:LocalTimeZone '{LocalTimeZone}' is not a known time zone (use an IANA id like Europe/Paris, or a Windows id)", [nameof(LocalTimeZone)]);
        }

        if (string.IsNullOrWhiteSpace(ForwardedForField) || ForwardedForField.Contains(' ', StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{Section}:ForwardedForField must be a #Fields name without spaces", [nameof(ForwardedForField)]);
        }

        foreach (var proxy in TrustedProxies.Where(p => !Subnet.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:TrustedProxies '{proxy}' is not an address or subnet (e.g. 10.0.0.5 or 10.0.0.0/24)", [nameof(TrustedProxies)]);
        }

        foreach (var (name, value, min, max) in new[]
                 {
                     (nameof(TopUserAgents), TopUserAgents, 1, 1000),
                     (nameof(MaxUsersPerClient), MaxUsersPerClient, 1, 100_000),
                     (nameof(MaxUserAgentLength), MaxUserAgentLength, 16, 400),
                     (nameof(FlushThreshold), FlushThreshold, 1000, 10_000_000),
                     (nameof(BadLineSamples), BadLineSamples, 0, 10_000),
                 })
        {
            if (value < min || value > max)
            {
                yield return new ValidationResult(
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Section}:{name} {value} is outside {min}..{max}"), [name]);
            }
        }
    }
}
