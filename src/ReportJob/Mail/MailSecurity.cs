namespace ReportJob.Mail;

/// <summary>How the SMTP connection is protected (Mail:Security).</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP; only for a relay on the same host or a trusted network.</summary>
    None,

    /// <summary>STARTTLS after connecting, required (port 587 or 25).</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, plain otherwise.</summary>
    StartTlsWhenAvailable,

    /// <summary>Implicit TLS from the first byte (port 465).</summary>
    SslOnConnect,
}
