using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// A real Samba Active Directory domain controller for one test: provisioned into a folder of its own (realm
/// CORP.EXAMPLE), its LDAP server alone started on a loopback address of its own, with a TLS certificate for that
/// address from a CA the test makes (the folder <see cref="TrustedCertificates"/> holds it in OpenSSL's hashed form).
/// Sites and subnets are created with samba-tool. Disposing stops the DC and deletes the folder.
/// </summary>
internal sealed class SambaDc : IDisposable
{
    public const string Password = "Rj-Test-Passw0rd!";
    public const string User = "Administrator@corp.example";

    private Process? _samba;

    private SambaDc(string folder, string address)
    {
        Folder = folder;
        Address = address;
    }

    public string Folder { get; }

    /// <summary>The loopback address the DC listens on (389 and 636).</summary>
    public string Address { get; }

    public string TrustedCertificates => Path.Combine(Folder, "trust");

    private string Sam => Path.Combine(Folder, "private", "sam.ldb");

    /// <summary>Provisions a domain, creates the sites and subnets (site → CIDRs), and starts its LDAP server.</summary>
    public static SambaDc Start(IReadOnlyDictionary<string, string[]> sites)
    {
        var address = string.Create(CultureInfo.InvariantCulture, $"127.0.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(2, 255)}");
        var dc = new SambaDc(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "reportjob-samba-" + Guid.NewGuid().ToString("N")[..8])).FullName, address);
        try
        {
            ExternalTools.Run("samba-tool", [
                "domain", "provision", "--targetdir=" + dc.Folder, "--realm=CORP.EXAMPLE", "--domain=CORP", "--server-role=dc",
                "--dns-backend=NONE", "--adminpass=" + Password, "--option=interfaces=" + address + "/8", "--option=bind interfaces only=yes",
                "--option=log file=" + Path.Combine(dc.Folder, "samba.log")], TimeSpan.FromMinutes(3));
            foreach (var (site, subnets) in sites)
            {
                ExternalTools.Run("samba-tool", ["sites", "create", site, "-H", dc.Sam]);
                foreach (var subnet in subnets)
                {
                    ExternalTools.Run("samba-tool", ["sites", "subnet", "create", subnet, site, "-H", dc.Sam]);
                }
            }

            dc.MakeCertificates();
            dc.Run();
            return dc;
        }
        catch
        {
            dc.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_samba is { HasExited: false })
        {
            _samba.Kill(entireProcessTree: true);
            _samba.WaitForExit(10_000);
        }

        _samba?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void MakeCertificates()
    {
        var tls = Directory.CreateDirectory(Path.Combine(Folder, "tls-test")).FullName;
        string F(string name) => Path.Combine(tls, name);
        ExternalTools.Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", F("ca.key"), "-out", F("ca.pem"), "-days", "2", "-subj", "/CN=ReportJob test CA"]);
        ExternalTools.Run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", F("key.pem"), "-out", F("server.csr"), "-subj", "/CN=" + Address]);
        File.WriteAllText(F("ext"), $"subjectAltName=IP:{Address}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        ExternalTools.Run("openssl", ["x509", "-req", "-in", F("server.csr"), "-CA", F("ca.pem"), "-CAkey", F("ca.key"), "-CAcreateserial", "-out", F("cert.pem"), "-days", "2", "-extfile", F("ext")]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(F("key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite); // samba refuses a key others can read
        }
        Directory.CreateDirectory(TrustedCertificates);
        File.Copy(F("ca.pem"), Path.Combine(TrustedCertificates, "ca.pem"));
        ExternalTools.Run("openssl", ["rehash", TrustedCertificates]);
    }

    private void Run()
    {
        var tls = Path.Combine(Folder, "tls-test");
        var psi = new ProcessStartInfo(ExternalTools.Require("samba"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "-i", "-M", "single", "-s", Path.Combine(Folder, "etc", "smb.conf"),
                     "--option=server services=ldap", "--option=ldap server require strong auth=no",
                     "--option=tls certfile=" + Path.Combine(tls, "cert.pem"), "--option=tls keyfile=" + Path.Combine(tls, "key.pem"),
                     "--option=tls cafile=" + Path.Combine(tls, "ca.pem"),
                 })
        {
            psi.ArgumentList.Add(a);
        }

        _samba = Process.Start(psi)!;
        _samba.OutputDataReceived += (_, _) => { };
        _samba.ErrorDataReceived += (_, _) => { };
        _samba.BeginOutputReadLine();
        _samba.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_samba.HasExited)
            {
                throw new InvalidOperationException($"samba exited with {_samba.ExitCode}; see {Path.Combine(Folder, "samba.log")}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(Address, 636);
                using var probe2 = new TcpClient();
                probe2.Connect(Address, 389);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(200);
            }
        }

        throw new TimeoutException($"samba did not listen on {Address}:389 and :636 within 60 s");
    }
}
