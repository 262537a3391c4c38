using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ReportJob.Mail;

/// <summary>Sends through SMTP (MailKit) with retries and back-off, or writes a .eml file into the pickup folder.</summary>
internal sealed class MailSender(IOptions<MailOptions> options, TimeProvider time, ILogger<MailSender> logger) : IMailSender
{
    public async Task<string> SendAsync(MimeMessage message, string fileNameHint, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            return await WritePickupAsync(message, Path.GetFullPath(o.PickupDirectory!), fileNameHint, cancellationToken);
        }

        var password = Password(o);
        var delay = o.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
                if (!string.IsNullOrWhiteSpace(o.ServerCertificateSha256))
                {
                    var pinned = MailOptions.NormalizedFingerprint(o.ServerCertificateSha256);
                    client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                        errors == SslPolicyErrors.None
                        || (certificate is not null && string.Equals(Sha256(certificate), pinned, StringComparison.Ordinal));
                }

                await client.ConnectAsync(o.SmtpHost, o.SmtpPort, Socket(o.Security), cancellationToken);
                if (password is not null)
                {
                    await client.AuthenticateAsync(o.UserName!, password, cancellationToken);
                }

                await client.SendAsync(message, cancellationToken);
                await client.DisconnectAsync(quit: true, cancellationToken);
                Log.Sent(logger, message.Subject ?? "", o.SmtpHost, o.SmtpPort, attempt);
                return $"smtp://{o.SmtpHost}:{o.SmtpPort}";
            }
            catch (Exception ex) when (IsTransient(ex) && attempt < o.Attempts && !cancellationToken.IsCancellationRequested)
            {
                Log.SendRetry(logger, o.SmtpHost, o.SmtpPort, attempt, o.Attempts, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, time, cancellationToken);
                delay *= 2;
            }
        }
    }

    /// <summary>Writes the message as <paramref name="fileName"/> through a temporary name, so a reader never sees half a file.</summary>
    internal static async Task<string> WritePickupAsync(MimeMessage message, string directory, string fileName, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, fileName);
        var temp = Path.Combine(directory, "." + fileName + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            await message.WriteToAsync(temp, cancellationToken);
            File.Move(temp, target, overwrite: true);
            return target;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The password from the environment variable Mail:PasswordVariable names; null when no user name is set.</summary>
    private static string? Password(MailOptions o)
    {
        if (string.IsNullOrEmpty(o.UserName))
        {
            return null;
        }

        var password = Environment.GetEnvironmentVariable(o.PasswordVariable);
        return string.IsNullOrEmpty(password)
            ? throw new InvalidOperationException($"Mail:UserName is set but the environment variable {o.PasswordVariable} (Mail:PasswordVariable) holding the SMTP password is empty")
            : password;
    }

    private static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>
    /// What another attempt may fix: the network, a server busy or closing, a temporary (4xx) refusal. A refused login,
    /// an untrusted certificate or a permanent (5xx) refusal fail at once.
    /// </summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        AuthenticationException or SslHandshakeException => false,
        SmtpCommandException c => (int)c.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException => true,
        OperationCanceledException => true,
        _ => false,
    };

    private static string Sha256(System.Security.Cryptography.X509Certificates.X509Certificate certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
}
