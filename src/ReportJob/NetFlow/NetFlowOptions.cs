using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>NetFlow/IPFIX ingest, aggregation, detection (scans, heavy hitters, DoS targets, mail fan-out) and the collector.</summary>
public sealed class NetFlowOptions : IValidatableObject
{
    public const string Section = "NetFlow";

    /// <summary>Drop folder of captures (pcap, pcapng, raw .dat) read by <c>reportjob ingest</c> without files; done/ and failed/ go inside.</summary>
    public string InboxPath { get; set; } = "./inbox/netflow";

    /// <summary>Length of an aggregate bucket (UTC, by flow end time); must divide an hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan BucketLength { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Hosts (per role), conversations and ports (per protocol) kept per bucket; the rest is summed into an "(other)" row.</summary>
    [Range(1, 1_000_000)]
    public int TopN { get; set; } = 1000;

    /// <summary>Aggregate entries (exporters and conversations per bucket, scan evidence per hour) held in memory before they are written (inside the file's transaction); bounds memory.</summary>
    [Range(1000, 50_000_000)]
    public int MaxEntriesInMemory { get; set; } = 250_000;

    /// <summary>Sampling interval (1 in N) assumed for exporters that announce none; 1 = unsampled.</summary>
    [Range(1, int.MaxValue)]
    public int DefaultSamplingInterval { get; set; } = 1;

    /// <summary>Default direction policy: <c>all</c>, <c>ingress-only</c> or <c>egress-only</c> (double counting, see README).</summary>
    public string Direction { get; set; } = "all";

    /// <summary>Per-exporter overrides (sampling, direction policy).</summary>
    public List<ExporterOptions> Exporters { get; set; } = [];

    /// <summary>Scan detection thresholds; <see cref="ScanOptions.MaxPackets"/> also says what a tiny flow is for DoS detection.</summary>
    public ScanOptions Scan { get; set; } = new();

    /// <summary>Heavy hitter thresholds.</summary>
    public HeavyHitterOptions HeavyHitters { get; set; } = new();

    /// <summary>DoS/DDoS target detection thresholds.</summary>
    public DosOptions Dos { get; set; } = new();

    /// <summary>Mail fan-out (spam bot) detection thresholds.</summary>
    public MailFanOutOptions MailFanOut { get; set; } = new();

    /// <summary>The UDP collector.</summary>
    public ListenOptions Listen { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(InboxPath))
        {
            yield return new ValidationResult($"{Section}:InboxPath is required", [nameof(InboxPath)]);
        }

        if (BucketLength > TimeSpan.Zero && TimeSpan.FromHours(1).Ticks % BucketLength.Ticks != 0)
        {
            yield return new ValidationResult($"{Section}:BucketLength {BucketLength} does not divide an hour", [nameof(BucketLength)]);
        }

        if (!DirectionPolicies.TryParse(Direction, out _))
        {
            yield return new ValidationResult($"{Section}:Direction '{Direction}' is not one of {DirectionPolicies.Allowed}", [nameof(Direction)]);
        }

        var seen = new HashSet<FlowAddress>();
        for (var i = 0; i < Exporters.Count; i++)
        {
            var e = Exporters[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"{Section}:Exporters:{i}");
            if (!FlowAddress.TryParse(e.Address, out var address))
            {
                yield return new ValidationResult($"{key}:Address '{e.Address}' is not an IP address", [nameof(Exporters)]);
            }
            else if (!seen.Add(address))
            {
                yield return new ValidationResult($"{key}:Address '{e.Address}' is listed twice", [nameof(Exporters)]);
            }

            if (e.SamplingInterval is < 1)
            {
                yield return new ValidationResult($"{key}:SamplingInterval must be at least 1", [nameof(Exporters)]);
            }

            if (e.DefaultSamplingInterval is < 1)
            {
                yield return new ValidationResult($"{key}:DefaultSamplingInterval must be at least 1", [nameof(Exporters)]);
            }

            if (e.Direction is not null && !DirectionPolicies.TryParse(e.Direction, out _))
            {
                yield return new ValidationResult($"{key}:Direction '{e.Direction}' is not one of {DirectionPolicies.Allowed}", [nameof(Exporters)]);
            }
        }

        foreach (var r in Nested(Scan, "Scan").Concat(Nested(HeavyHitters, "HeavyHitters")).Concat(Nested(Dos, "Dos"))
                     .Concat(Nested(MailFanOut, "MailFanOut")).Concat(Nested(Listen, "Listen")))
        {
            yield return r;
        }

        if (Scan.EvidenceLimit < Math.Max(Scan.MinDistinctPorts, Scan.MinDistinctHosts))
        {
            yield return new ValidationResult($"{Section}:Scan:EvidenceLimit {Scan.EvidenceLimit} is below a threshold (MinDistinctPorts/MinDistinctHosts)", [nameof(Scan)]);
        }

        if (Dos.EvidenceLimit < Dos.MinSources)
        {
            yield return new ValidationResult($"{Section}:Dos:EvidenceLimit {Dos.EvidenceLimit} is below Dos:MinSources {Dos.MinSources}", [nameof(Dos)]);
        }

        if (MailFanOut.EvidenceLimit < MailFanOut.MinDestinations)
        {
            yield return new ValidationResult(
                $"{Section}:MailFanOut:EvidenceLimit {MailFanOut.EvidenceLimit} is below MailFanOut:MinDestinations {MailFanOut.MinDestinations}", [nameof(MailFanOut)]);
        }

        for (var i = 0; i < MailFanOut.Ports.Count; i++)
        {
            if (MailFanOut.Ports[i] is < 1 or > 65535)
            {
                yield return new ValidationResult(
                    string.Create(CultureInfo.InvariantCulture, $"{Section}:MailFanOut:Ports:{i} {MailFanOut.Ports[i]} is not a TCP port"), [nameof(MailFanOut)]);
            }
        }

        for (var i = 0; i < MailFanOut.AllowedSources.Count; i++)
        {
            if (!AddressSet.TryParseEntry(MailFanOut.AllowedSources[i], out _))
            {
                yield return new ValidationResult(
                    string.Create(CultureInfo.InvariantCulture, $"{Section}:MailFanOut:AllowedSources:{i} '{MailFanOut.AllowedSources[i]}' is not an address or CIDR prefix"),
                    [nameof(MailFanOut)]);
            }
        }

        if (string.IsNullOrWhiteSpace(Listen.Bind) || !System.Net.IPAddress.TryParse(Listen.Bind, out _))
        {
            yield return new ValidationResult($"{Section}:Listen:Bind '{Listen.Bind}' is not an IP address", [nameof(Listen)]);
        }
    }

    /// <summary>Data annotations of a nested section, reported with the full key (ValidateDataAnnotations does not recurse).</summary>
    private static IEnumerable<ValidationResult> Nested(object section, string name)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"{Section}:{name}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}", [name]));
    }
}
