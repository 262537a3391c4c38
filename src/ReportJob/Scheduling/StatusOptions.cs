using System.ComponentModel.DataAnnotations;

namespace ReportJob.Scheduling;

/// <summary><c>Status</c>: the Hangfire dashboard (with the collection page), <c>/health</c> and <c>/metrics</c>, served by <c>reportjob run</c>.</summary>
public sealed class StatusOptions : IValidatableObject
{
    public const string Section = "Status";

    /// <summary>Serve the dashboard, <c>/health</c> and <c>/metrics</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where to listen, separated by ';' (Kestrel URLs). The default stays on loopback; to reach it from other hosts,
    /// bind an address of the machine (or <c>http://0.0.0.0:5080</c>) and set <see cref="AllowRemote"/> and <see cref="SharedSecret"/>.
    /// Port 0 picks a free port.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Answer requests from other hosts (loopback is always answered). Needs <see cref="SharedSecret"/>; without it, other hosts get 403.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>
    /// The secret a remote request must carry, as header <c>X-ReportJob-Secret</c> or as the password of HTTP basic
    /// authentication (any user name). At least 16 characters. Keep it out of the committed file
    /// (<c>REPORTJOB__Status__SharedSecret</c> or appsettings.Local.json), and serve over https when it crosses a network.
    /// </summary>
    public string? SharedSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"Status:Urls: '{url}' is not an http(s) URL", [nameof(Urls)]);
            }
        }

        if (AllowRemote && (SharedSecret is null || SharedSecret.Length < 16))
        {
            yield return new ValidationResult("Status:SharedSecret: remote access (Status:AllowRemote) needs a shared secret of at least 16 characters", [nameof(SharedSecret)]);
        }
    }
}
