using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ReportJob.Snapshots;

public sealed class SnapshotsOptions : IValidatableObject
{
    public const string Section = "Snapshots";

    /// <summary>The local ports a snapshot keeps when <see cref="LocalPorts"/> is not set.</summary>
    public static readonly IReadOnlyList<int> DefaultLocalPorts = [443];

    /// <summary>
    /// Only connections whose local port is in this list are kept (default 443: Exchange clients; 444 is back-end
    /// traffic). Empty in code on purpose: the configuration binder appends to a list that already has items, so a
    /// configured [8443] would become [443, 8443]; the default is applied after binding.
    /// </summary>
    public List<int> LocalPorts { get; set; } = [];

    /// <summary>Keep connections to or from loopback (they are marked either way).</summary>
    public bool IncludeLoopback { get; set; } = true;

    /// <summary>How long one server may take to answer before its collection counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many servers are collected at once.</summary>
    [Range(1, 256)]
    public int MaxParallel { get; set; } = 8;

    /// <summary>
    /// The time zone in which the connections and export-csv verbs show snapshot times and cut days (<c>--date</c>),
    /// and the default zone of a Csv server's local times: an IANA id (<c>Europe/Berlin</c>), a Windows id, or <c>UTC</c>.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The servers to collect.</summary>
    public List<ServerOptions> Servers { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var port in LocalPorts.Where(p => p is < 1 or > 65535))
        {
            yield return new ValidationResult($"Snapshots:LocalPorts: {port} is not a TCP port", [nameof(LocalPorts)]);
        }

        if (!TryFindZone(TimeZone, out _))
        {
            yield return new ValidationResult($"Snapshots:TimeZone: '{TimeZone}' is not a known time zone (use an IANA id such as Europe/Berlin, or UTC)", [nameof(TimeZone)]);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var addresses = new Dictionary<IPAddress, string>();
        for (var i = 0; i < Servers.Count; i++)
        {
            var s = Servers[i];
            var key = $"Snapshots:Servers:{i}";
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                yield return new ValidationResult($"{key}:Name is required", [nameof(Servers)]);
            }
            else if (!seen.Add(s.Name))
            {
                yield return new ValidationResult($"{key}:Name '{s.Name}' is listed twice", [nameof(Servers)]);
            }

            if (s.Port is < 1 or > 65535)
            {
                yield return new ValidationResult($"{key}:Port {s.Port} is not a TCP port", [nameof(Servers)]);
            }

            for (var j = 0; j < s.Addresses.Count; j++)
            {
                if (!IPAddress.TryParse(s.Addresses[j]?.Trim(), out var address))
                {
                    yield return new ValidationResult($"{key}:Addresses:{j}: '{s.Addresses[j]}' is not an IP address", [nameof(Servers)]);
                }
                else if (!addresses.TryAdd(SnapshotStore.Normalize(address), s.Name))
                {
                    yield return new ValidationResult($"{key}:Addresses:{j}: {address} is also listed for server '{addresses[SnapshotStore.Normalize(address)]}'", [nameof(Servers)]);
                }
            }

            if (s.TimeZone is not null && !TryFindZone(s.TimeZone, out _))
            {
                yield return new ValidationResult($"{key}:TimeZone: '{s.TimeZone}' is not a known time zone (use an IANA id such as Europe/Berlin, or UTC)", [nameof(Servers)]);
            }
        }
    }

    /// <summary>Each address in the servers' <see cref="ServerOptions.Addresses"/> with its server's name (validated at start: an address belongs to one server).</summary>
    public IReadOnlyDictionary<IPAddress, string> ServerAddresses()
    {
        var map = new Dictionary<IPAddress, string>();
        foreach (var s in Servers)
        {
            foreach (var a in s.Addresses)
            {
                if (IPAddress.TryParse(a?.Trim(), out var address))
                {
                    map.TryAdd(SnapshotStore.Normalize(address), s.Name);
                }
            }
        }

        return map;
    }

    /// <summary>The zone of <see cref="TimeZone"/> (validated at start).</summary>
    public TimeZoneInfo PresentationTimeZone => FindZone(TimeZone);

    /// <summary>The zone a Csv server's local times are in: its own TimeZone, else <see cref="TimeZone"/>.</summary>
    public TimeZoneInfo CsvTimeZoneOf(ServerOptions server) => FindZone(server.TimeZone ?? TimeZone);

    public static TimeZoneInfo FindZone(string id) =>
        TryFindZone(id, out var zone) ? zone : throw new ArgumentException($"'{id}' is not a known time zone (use an IANA id such as Europe/Berlin, or UTC)", nameof(id));

    public static bool TryFindZone(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }
}
