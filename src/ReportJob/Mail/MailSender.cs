using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Mail;

/// <summary>Sends through SMTP with retries and back-off, or writes a .eml file into the pickup folder.</summary>
internal sealed class MailSender(IOptions<MailOptions> options, ILogger<MailSender> logger) : IMailSender
{
    public async Task<string> SendAsync(MailMessage message, string fileNameHint, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            return await WritePickupAsync(message, Path.GetFullPath(o.PickupDirectory!), fileNameHint, cancellationToken);
        }

        var delay = o.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var client = new SmtpClient(o.SmtpHost, o.SmtpPort)
                {
                    EnableSsl = o.StartTls,
                    Timeout = (int)o.Timeout.TotalMilliseconds,
                    DeliveryMethod = SmtpDeliveryMethod.Network,
                };
                if (!string.IsNullOrEmpty(o.UserName))
                {
                    client.Credentials = new NetworkCredential(o.UserName, Environment.GetEnvironmentVariable(o.PasswordVariable) ?? "");
                }

                await client.SendMailAsync(message, cancellationToken);
                Log.Sent(logger, message.Subject, o.SmtpHost, o.SmtpPort, attempt);
                return $"smtp://{o.SmtpHost}:{o.SmtpPort}";
            }
            catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException && attempt < o.Attempts)
            {
                Log.SendRetry(logger, o.SmtpHost, o.SmtpPort, attempt, o.Attempts, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, cancellationToken);
                delay *= 2;
            }
        }
    }

    /// <summary>System.Net.Mail writes a random file name: write into a private temp folder, then move to the wanted name.</summary>
    internal static async Task<string> WritePickupAsync(MailMessage message, string directory, string fileName, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, ".pickup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            using var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = temp };
            await client.SendMailAsync(message, cancellationToken);
            var written = Directory.GetFiles(temp).Single();
            var target = Path.Combine(directory, fileName);
            File.Move(written, target, overwrite: true);
            return target;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
