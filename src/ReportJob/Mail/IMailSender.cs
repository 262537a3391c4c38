using MimeKit;

namespace ReportJob.Mail;

/// <summary>The I/O seam for e-mail: SMTP, or a pickup folder of .eml files.</summary>
public interface IMailSender
{
    /// <summary>Delivers the message; returns where it went (the SMTP server, or the .eml path).</summary>
    Task<string> SendAsync(MimeMessage message, string fileNameHint, CancellationToken cancellationToken);
}
