using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Net;

namespace ReportJob.Sites;

/// <summary>
/// Reads the subnet objects of Active Directory Sites and Services over LDAP, as the routine's companion script did
/// with the AD cmdlets, but with the real prefixes: <c>CN=Subnets,CN=Sites,CN=Configuration,…</c> holds one
/// <c>subnet</c> object per prefix, its <c>cn</c> the CIDR (IPv4 or IPv6) and its <c>siteObject</c> the site's DN.
/// </summary>
internal static class AdSubnetReader
{
    private const int PageSize = 500;

    /// <summary>Where the options point, for messages: <c>ldaps://dc01:636</c>.</summary>
    public static string Origin(LdapOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"{(o.Security == LdapSecurity.Ldaps ? "ldaps" : "ldap")}://{o.Server}:{o.EffectivePort}");

    /// <summary>The subnets with a site, and the ones left out with the reason (no site, a <c>cn</c> that is no prefix).</summary>
    public static (List<SiteSubnet> Subnets, List<(string Subnet, string Reason)> Skipped) Read(LdapOptions o, string? password, CancellationToken cancellationToken)
    {
        try
        {
            return ReadSubnets(o, password, cancellationToken);
        }
        catch (LdapException ex)
        {
            // libldap says "server unavailable" for a refused connection and for a certificate it does not trust alike.
            var hint = o.Security == LdapSecurity.None ? "" : " (a DC that answers but whose certificate is not trusted looks the same: see Sites:Ldap:TrustedCertificatesDirectory)";
            throw new IOException($"{Origin(o)}: {ex.Message}{(ex.ServerErrorMessage is { Length: > 0 } m ? " " + m.Trim() : "")}{hint}", ex);
        }
    }

    private static (List<SiteSubnet> Subnets, List<(string Subnet, string Reason)> Skipped) ReadSubnets(LdapOptions o, string? password, CancellationToken cancellationToken)
    {
        using var connection = Connect(o, password, out var rootDseContext);
        var configuration = o.ConfigurationNamingContext ?? rootDseContext ?? ConfigurationNamingContext(connection, o);
        var subnets = new List<SiteSubnet>();
        var skipped = new List<(string, string)>();
        var request = new SearchRequest("CN=Subnets,CN=Sites," + configuration, "(objectClass=subnet)", SearchScope.OneLevel, "cn", "siteObject");
        var paging = new PageResultRequestControl(PageSize);
        request.Controls.Add(paging);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var response = (SearchResponse)connection.SendRequest(request, o.Timeout);
            foreach (SearchResultEntry entry in response.Entries)
            {
                var cn = First(entry, "cn") ?? entry.DistinguishedName;
                var site = First(entry, "siteObject");
                if (!Subnet.TryParse(cn, out var subnet))
                {
                    skipped.Add((cn, "not a prefix"));
                }
                else if (site is null || SiteName(site) is not { Length: > 0 } name)
                {
                    skipped.Add((cn, "no site"));
                }
                else
                {
                    subnets.Add(new SiteSubnet(subnet.Value, name));
                }
            }

            var cookie = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()?.Cookie;
            if (cookie is null || cookie.Length == 0)
            {
                return (subnets, skipped);
            }

            paging.Cookie = cookie;
        }
    }

    /// <summary>The site's name: the value of the first RDN of its DN (<c>CN=Berlin\, Mitte,CN=Sites,…</c> → <c>Berlin, Mitte</c>).</summary>
    internal static string SiteName(string dn)
    {
        var value = new System.Text.StringBuilder();
        var i = dn.IndexOf('=', StringComparison.Ordinal) + 1;
        for (; i > 0 && i < dn.Length; i++)
        {
            var c = dn[i];
            if (c == '\\' && i + 1 < dn.Length)
            {
                // RFC 4514 §2.4: a backslash escapes a special character or gives a byte as two hex digits.
                if (i + 2 < dn.Length && Uri.IsHexDigit(dn[i + 1]) && Uri.IsHexDigit(dn[i + 2]))
                {
                    var bytes = new List<byte>();
                    while (i + 2 < dn.Length && dn[i] == '\\' && Uri.IsHexDigit(dn[i + 1]) && Uri.IsHexDigit(dn[i + 2]))
                    {
                        bytes.Add(byte.Parse(dn.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 3;
                    }

                    value.Append(System.Text.Encoding.UTF8.GetString(bytes.ToArray()));
                    i--;
                    continue;
                }

                value.Append(dn[++i]);
                continue;
            }

            if (c is ',' or '+')
            {
                break;
            }

            value.Append(c);
        }

        return value.ToString().Trim();
    }

    private static LdapConnection Connect(LdapOptions o, string? password, out string? rootDseContext)
    {
        rootDseContext = null;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(o.Server, o.EffectivePort, fullyQualifiedDnsHostName: false, connectionless: false))
        {
            AutoBind = false,
            Timeout = o.Timeout,
        };
        try
        {
            var session = connection.SessionOptions;
            session.ProtocolVersion = 3;
            session.ReferralChasing = ReferralChasingOptions.None;
            if (!OperatingSystem.IsWindows() && !string.IsNullOrWhiteSpace(o.TrustedCertificatesDirectory))
            {
                session.TrustedCertificatesDirectory = o.TrustedCertificatesDirectory;
                session.StartNewTlsSessionContext();
            }

            if (o.Security == LdapSecurity.Ldaps)
            {
                session.SecureSocketLayer = true;
            }
            else if (o.Security == LdapSecurity.StartTls)
            {
                // Off Windows the connection opens with the first request, and StartTLS on a connection not yet open
                // fails ("server unavailable"): read the RootDSE first, which AD answers before any bind.
                rootDseContext = ConfigurationNamingContext(connection, o);
                session.StartTransportLayerSecurity(null);
            }

            if (string.IsNullOrWhiteSpace(o.UserName))
            {
                // Windows only (checked at start): the process's account, Kerberos or NTLM.
                connection.AuthType = AuthType.Negotiate;
                connection.Bind();
            }
            else
            {
                connection.AuthType = OperatingSystem.IsWindows() && o.Security == LdapSecurity.None ? AuthType.Negotiate : AuthType.Basic;
                connection.Bind(new NetworkCredential(o.UserName, password));
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string ConfigurationNamingContext(LdapConnection connection, LdapOptions o)
    {
        var rootDse = (SearchResponse)connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, "configurationNamingContext"), o.Timeout);
        return rootDse.Entries.Count > 0 && First(rootDse.Entries[0], "configurationNamingContext") is { } nc
            ? nc
            : throw new InvalidDataException($"{Origin(o)}: the RootDSE names no configurationNamingContext (not an Active Directory DC?); set Sites:Ldap:ConfigurationNamingContext");
    }

    private static string? First(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) && entry.Attributes[attribute].GetValues(typeof(string)) is [string v, ..] ? v : null;
}
