using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using ReportJob.Mail;
using ReportJob.Tests.Reports;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Mail;

/// <summary>
/// MailKit against a real SMTP server (aiosmtpd, Fixtures/smtp/smtp_server.py) on loopback: STARTTLS and implicit TLS
/// with a self-signed certificate pinned by its fingerprint, a required login whose password comes from an environment
/// variable, a temporary refusal retried, and what must not be retried.
/// </summary>
public sealed class MailSenderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "reportjob-smtp-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _passwordVariable = "REPORTJOB_TEST_SMTP_PASSWORD_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly List<Process> _servers = [];

    public MailSenderTests()
    {
        Directory.CreateDirectory(_dir);
    }

    [ToolTheory("/usr/bin/python3", "openssl")]
    [InlineData(MailSecurity.StartTls, "starttls")]
    [InlineData(MailSecurity.SslOnConnect, "implicit")]
    public async Task Send_TlsAndLogin_MessageArrives(MailSecurity security, string serverTls)
    {
        var (cert, fingerprint) = Certificate();
        var port = Start(serverTls, cert, user: "reportjob", password: "s3cret pass", refuseFirst: false);
        Environment.SetEnvironmentVariable(_passwordVariable, "s3cret pass");

        var where = await Sender(port, security, fingerprint, user: "reportjob").SendAsync(Message(), "x.eml", default);

        Assert.Equal($"smtp://127.0.0.1:{port}", where);
        var received = await WaitForMessageAsync();
        Assert.Contains("Subject: TLS test", received, StringComparison.Ordinal);
    }

    [ToolFact("/usr/bin/python3", "openssl")]
    public async Task Send_TemporaryRefusal_RetriedAndDelivered()
    {
        var (cert, fingerprint) = Certificate();
        var port = Start("starttls", cert, user: "", password: "", refuseFirst: true);

        await Sender(port, MailSecurity.StartTls, fingerprint, user: null, attempts: 3).SendAsync(Message(), "x.eml", default);

        Assert.Contains("Subject: TLS test", await WaitForMessageAsync(), StringComparison.Ordinal);
        Assert.Contains("refused", ServerOutput(), StringComparison.Ordinal);
    }

    [ToolFact("/usr/bin/python3", "openssl")]
    public async Task Send_WrongPassword_FailsAtOnceWithoutRetry()
    {
        var (cert, fingerprint) = Certificate();
        var port = Start("starttls", cert, user: "reportjob", password: "right", refuseFirst: false);
        Environment.SetEnvironmentVariable(_passwordVariable, "wrong");

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<AuthenticationException>(() => Sender(port, MailSecurity.StartTls, fingerprint, user: "reportjob", attempts: 3, retryDelay: TimeSpan.FromSeconds(20)).SendAsync(Message(), "x.eml", default));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "a refused login is not retried");
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "maildir", "new")));
    }

    [ToolFact("/usr/bin/python3", "openssl")]
    public async Task Send_UntrustedCertificateNotPinned_Refused()
    {
        var (cert, _) = Certificate();
        var port = Start("starttls", cert, user: "", password: "", refuseFirst: false);

        await Assert.ThrowsAsync<SslHandshakeException>(() => Sender(port, MailSecurity.StartTls, fingerprint: null, user: null).SendAsync(Message(), "x.eml", default));
    }

    [Fact]
    public async Task Send_UserWithoutPasswordVariable_ErrorNamesTheVariable()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Sender(1, MailSecurity.StartTls, null, user: "reportjob").SendAsync(Message(), "x.eml", default));
        Assert.Contains(_passwordVariable, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Kill(entireProcessTree: true);
            server.Dispose();
        }

        Environment.SetEnvironmentVariable(_passwordVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    private MailSender Sender(int port, MailSecurity security, string? fingerprint, string? user, int attempts = 1, TimeSpan? retryDelay = null) =>
        new(Options.Create(new MailOptions
        {
            SmtpHost = "127.0.0.1",
            SmtpPort = port,
            Security = security,
            ServerCertificateSha256 = fingerprint,
            UserName = user,
            PasswordVariable = _passwordVariable,
            Attempts = attempts,
            RetryDelay = retryDelay ?? TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(20),
        }), TimeProvider.System, NullLogger<MailSender>.Instance);

    private static MimeMessage Message()
    {
        var message = new MimeMessage { Subject = "TLS test", Body = new TextPart("plain") { Text = "hello" } };
        message.From.Add(MailboxAddress.Parse("reportjob@example.com"));
        message.To.Add(MailboxAddress.Parse("team@example.com"));
        return message;
    }

    /// <summary>A self-signed certificate for 127.0.0.1 made by openssl, and its SHA-256 fingerprint (colons, as openssl prints it).</summary>
    private (string Cert, string Fingerprint) Certificate()
    {
        var cert = Path.Combine(_dir, "cert.pem");
        ExternalTools.Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path.Combine(_dir, "key.pem"), "-out", cert,
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
        var hash = X509Certificate2.CreateFromPem(File.ReadAllText(cert)).GetCertHash(HashAlgorithmName.SHA256);
        return (cert, string.Join(':', hash.Select(b => b.ToString("X2", CultureInfo.InvariantCulture))));
    }

    private int Start(string tls, string cert, string user, string password, bool refuseFirst)
    {
        var port = ReportArtifactTests.FreePort();
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "smtp", "smtp_server.py");
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, port.ToString(CultureInfo.InvariantCulture), Path.Combine(_dir, "maildir"), tls, cert,
            Path.Combine(_dir, "key.pem"), user, password, refuseFirst ? "1" : "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var server = Process.Start(psi)!;
        _servers.Add(server);
        var line = server.StandardOutput.ReadLine();
        if (line != "ready")
        {
            server.Kill();
            Assert.Fail("the SMTP server did not start: " + line + server.StandardError.ReadToEnd());
        }

        return port;
    }

    private string ServerOutput()
    {
        var server = _servers[^1];
        server.Kill(entireProcessTree: true);
        server.WaitForExit();
        return server.StandardOutput.ReadToEnd();
    }

    private async Task<string> WaitForMessageAsync() =>
        await File.ReadAllTextAsync(await ReportArtifactTests.WaitForFileAsync(Path.Combine(_dir, "maildir", "new")));
}
