using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace ReportJob.Mail;

public sealed class MailOptions : IValidatableObject
{
    public const string Section = "Mail";

    /// <summary>Send the daily e-mail after the report is rendered.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sender address.</summary>
    public string From { get; set; } = "reportjob@localhost";

    /// <summary>Recipients of the daily e-mail.</summary>
    public List<string> To { get; set; } = [];

    /// <summary>Copy recipients.</summary>
    public List<string> Cc { get; set; } = [];

    /// <summary>The subject; {0} is the day (yyyy-MM-dd).</summary>
    public string Subject { get; set; } = "ReportJob daily report {0}";

    /// <summary>SMTP server; empty with a <see cref="PickupDirectory"/> writes .eml files instead of sending.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>SMTP port: 587 (submission, STARTTLS), 465 (implicit TLS) or 25.</summary>
    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>None, StartTls (required), StartTlsWhenAvailable or SslOnConnect (implicit TLS, port 465).</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>
    /// The setting <see cref="Security"/> replaced. It is not read; set (a settings file of an earlier version), it stops
    /// the start with what to write instead, rather than letting the mail change from plain to required STARTTLS unseen.
    /// </summary>
    public bool? StartTls { get; set; }

    /// <summary>
    /// The SHA-256 fingerprint (hex) of the SMTP server's certificate, for a server whose certificate the system does
    /// not trust (self-signed, an internal CA): that certificate, and only it, is accepted. Empty: the system decides.
    /// </summary>
    public string? ServerCertificateSha256 { get; set; }

    /// <summary>SMTP user name (empty: no authentication).</summary>
    public string? UserName { get; set; }

    /// <summary>The environment variable that holds the SMTP password: never put the password in a settings file.</summary>
    public string PasswordVariable { get; set; } = "REPORTJOB_SMTP_PASSWORD";

    /// <summary>Write each e-mail as a .eml file into this folder instead of (or when no SmtpHost is set) sending it.</summary>
    public string? PickupDirectory { get; set; } = "./mail";

    /// <summary>Attempts to send before giving up.</summary>
    [Range(1, 20)]
    public int Attempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled for each further one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one SMTP conversation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartTls is { } startTls)
        {
            yield return new ValidationResult(
                $"Mail:StartTls is no longer read: write \"Security\": \"{(startTls ? "StartTls" : "None")}\" instead (what StartTls {(startTls ? "true" : "false")} did; also StartTlsWhenAvailable or SslOnConnect)",
                [nameof(StartTls)]);
        }

        if (!Enabled)
        {
            yield break;
        }

        if (!IsAddress(From))
        {
            yield return new ValidationResult($"Mail:From '{From}' is not an e-mail address", [nameof(From)]);
        }

        foreach (var a in To.Concat(Cc).Where(a => !IsAddress(a)))
        {
            yield return new ValidationResult($"Mail:To/Cc '{a}' is not an e-mail address", [nameof(To)]);
        }

        if (string.IsNullOrWhiteSpace(SmtpHost) && string.IsNullOrWhiteSpace(PickupDirectory))
        {
            yield return new ValidationResult("Mail: set SmtpHost (send) or PickupDirectory (write .eml files), or Enabled=false", [nameof(SmtpHost)]);
        }

        if (!string.IsNullOrWhiteSpace(ServerCertificateSha256) && NormalizedFingerprint(ServerCertificateSha256).Length != 64)
        {
            yield return new ValidationResult($"Mail:ServerCertificateSha256 '{ServerCertificateSha256}' is not a SHA-256 fingerprint (64 hex digits, colons allowed)", [nameof(ServerCertificateSha256)]);
        }
    }

    /// <summary>Upper-case hex without separators (colons, spaces, dashes); empty when it is not 64 hex digits.</summary>
    public static string NormalizedFingerprint(string value)
    {
        var hex = string.Concat(value.Where(c => c is not (':' or ' ' or '-')));
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex.ToUpperInvariant() : "";
    }

    private static readonly ParserOptions Strict = new() { AllowAddressesWithoutDomain = false };

    private static bool IsAddress(string value) => MailboxAddress.TryParse(Strict, value, out var a) && a.Address.Contains('@', StringComparison.Ordinal);
}
