using System.ComponentModel.DataAnnotations;

namespace ReportJob.Sites;

/// <summary>Active Directory Sites and Services over LDAP: where the subnets are read from, and how often.</summary>
public sealed class LdapOptions
{
    /// <summary>A domain controller (host name or address). Empty: the mapping is not read from AD.</summary>
    public string? Server { get; set; }

    /// <summary>The LDAP port; default 636 for <c>Ldaps</c>, 389 otherwise.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary><c>Ldaps</c> (default), <c>StartTls</c>, or <c>None</c> (no TLS: only for a DC on this machine).</summary>
    public LdapSecurity Security { get; set; } = LdapSecurity.Ldaps;

    /// <summary>
    /// The account to bind as: a DN or <c>user@domain</c>, with a simple bind over TLS. Empty on Windows: the process's
    /// own account with Negotiate (Kerberos/NTLM).
    /// </summary>
    public string? UserName { get; set; }

    /// <summary>The environment variable that holds <see cref="UserName"/>'s password (never in appsettings.json).</summary>
    public string PasswordVariable { get; set; } = "REPORTJOB_LDAP_PASSWORD";

    /// <summary>The forest's configuration partition (<c>CN=Configuration,DC=corp,DC=example</c>); default: the DC's RootDSE says.</summary>
    public string? ConfigurationNamingContext { get; set; }

    /// <summary>
    /// Linux: a folder of CA certificates in OpenSSL's hashed form (<c>openssl rehash DIR</c>) that the DC's certificate
    /// must chain to; default: the system's. On Windows the machine's certificate store decides.
    /// </summary>
    public string? TrustedCertificatesDirectory { get; set; }

    /// <summary>The subnets are read again when the stored copy is older than this, whenever the mapping is loaded (report, ingest); 0 only on <c>sites import --ldap</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one LDAP request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Server);

    public int EffectivePort => Port != 0 ? Port : Security == LdapSecurity.Ldaps ? 636 : 389;
}
