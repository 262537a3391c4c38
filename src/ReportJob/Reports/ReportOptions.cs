using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ReportJob.Reports;

public sealed class ReportOptions : IValidatableObject
{
    public const string Section = "Reports";

    /// <summary>Where reports are written: a local folder or a mounted share. Relative paths start at the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutputPath { get; set; } = "./reports";

    /// <summary>How readers reach <see cref="OutputPath"/> (a UNC path or URL), used for links in the e-mail. Empty: the local path.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The report's and the e-mail's heading, e.g. the company's name and what the report is about.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(200)]
    public string Title { get; set; } = "Connections and traffic";

    /// <summary>A logo (PNG, JPEG or GIF, at most 512 KB) shown beside the title in the report and the e-mail; read at every render. Empty: none.</summary>
    public string? LogoFile { get; set; }

    /// <summary>A CSS file added after the built-in stylesheet of the HTML report (colours, fonts); read at every render. Empty: none.</summary>
    public string? StylesheetFile { get; set; }

    /// <summary>The time zone the report shows (IANA or Windows id). Days are calendar days of this zone.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The culture of numbers and dates in text (SVG attributes always use the invariant culture).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Culture { get; set; } = "en-US";

    /// <summary>Reports whose files were last written more than this many days ago are deleted when a report is written (0 keeps them all); the day just rendered is always kept.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>A server whose connections deviate more than this fraction from an even split is flagged (0.25 = 25 %).</summary>
    [Range(0.01, 10)]
    public double ImbalanceThreshold { get; set; } = 0.25;

    /// <summary>How many clients the top-clients table lists.</summary>
    [Range(1, 10000)]
    public int TopClients { get; set; } = 50;

    /// <summary>How many rows the flow top lists (talkers, conversations, ports) show.</summary>
    [Range(1, 10000)]
    public int TopFlows { get; set; } = 20;

    /// <summary>The collection interval, for "snapshots expected" in data quality and for creation-time windows.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ExpectedSnapshotInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Connections open at least this long are listed as long-lived.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan LongLivedThreshold { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How many long-lived connections are listed.</summary>
    [Range(1, 10000)]
    public int TopLongLived { get; set; } = 20;

    /// <summary>A minute in which at least this many connections were created on one server is a burst.</summary>
    [Range(1, 1_000_000)]
    public int BurstThreshold { get; set; } = 200;

    /// <summary>How many burst minutes are listed.</summary>
    [Range(1, 10000)]
    public int TopBursts { get; set; } = 20;

    /// <summary>How many days, the report's own included, its trend section shows from the daily roll-ups.</summary>
    [Range(2, 400)]
    public int TrendDays { get; set; } = 30;

    /// <summary>Look up reverse-DNS names of the top clients.</summary>
    public bool ResolveDnsNames { get; set; } = true;

    /// <summary>Time allowed for one reverse-DNS lookup.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public CultureInfo CultureInfo() => System.Globalization.CultureInfo.GetCultureInfo(Culture);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Reports:TimeZone '{TimeZone}' is not a known time zone (use an IANA id like Europe/Paris, or a Windows id)", [nameof(TimeZone)]);
        }

        if (!string.IsNullOrWhiteSpace(LogoFile) && !ReportLooks.LogoTypes.ContainsKey(Path.GetExtension(LogoFile)))
        {
            yield return new ValidationResult($"Reports:LogoFile '{LogoFile}' must be a .png, .jpg, .jpeg or .gif file (the e-mail cannot show other images in Outlook)", [nameof(LogoFile)]);
        }

        CultureInfo? culture = null;
        try
        {
            culture = System.Globalization.CultureInfo.GetCultureInfo(Culture, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
        }

        if (culture is null)
        {
            yield return new ValidationResult($"Reports:Culture '{Culture}' is not a known culture (e.g. en-US, de-DE)", [nameof(Culture)]);
        }
    }
}
