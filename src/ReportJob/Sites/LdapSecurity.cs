namespace ReportJob.Sites;

/// <summary>How the LDAP connection to the domain controller is protected.</summary>
public enum LdapSecurity
{
    /// <summary>LDAP over TLS (port 636).</summary>
    Ldaps,

    /// <summary>Plain LDAP (port 389) upgraded with StartTLS before the bind.</summary>
    StartTls,

    /// <summary>
    /// No TLS: a simple bind sends the password in clear. Only for a domain controller on this machine; Negotiate
    /// (Kerberos/NTLM, Windows) signs and seals the session itself.
    /// </summary>
    None,
}
