using System.Globalization;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// A network namespace joined to this host by a veth pair: this host is <see cref="HostAddress"/>, a program run with
/// <see cref="Run"/> is a client at <see cref="ClientAddress"/>, another machine as far as a server here can tell.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private readonly string _name;
    private readonly string _hostLink;

    private NetworkNamespace(string name, string hostLink, int subnet)
    {
        _name = name;
        _hostLink = hostLink;
        HostAddress = $"10.231.{subnet}.1";
        ClientAddress = $"10.231.{subnet}.2";
    }

    public string HostAddress { get; }

    public string ClientAddress { get; }

    public static NetworkNamespace Create()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        var subnet = Random.Shared.Next(1, 250);
        var ns = new NetworkNamespace("rj" + id, "rjh" + id, subnet);
        try
        {
            Ip("netns", "add", ns._name);
            Ip("link", "add", ns._hostLink, "type", "veth", "peer", "name", "rjc" + id);
            Ip("link", "set", "rjc" + id, "netns", ns._name);
            Ip("addr", "add", ns.HostAddress + "/24", "dev", ns._hostLink);
            Ip("link", "set", ns._hostLink, "up");
            Ip("netns", "exec", ns._name, "ip", "addr", "add", ns.ClientAddress + "/24", "dev", "rjc" + id);
            Ip("netns", "exec", ns._name, "ip", "link", "set", "rjc" + id, "up");
            Ip("netns", "exec", ns._name, "ip", "link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Runs a program inside the namespace: exit code and standard output.</summary>
    public (int Exit, string Out) Run(params string[] args)
    {
        var (exit, stdout, _) = ExternalTools.RunRaw("ip", ["netns", "exec", _name, .. args], TimeSpan.FromSeconds(60));
        return (exit, stdout);
    }

    /// <summary>The HTTP status a request from inside the namespace gets (curl), with extra curl arguments.</summary>
    public int Status(string url, params string[] curlArgs)
    {
        var (exit, output) = Run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", .. curlArgs, url]);
        Assert.True(exit == 0, $"curl from {ClientAddress} to {url} exited {exit}");
        return int.Parse(output, CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        ExternalTools.RunRaw("ip", ["link", "del", _hostLink]);
        ExternalTools.RunRaw("ip", ["netns", "del", _name]);
    }

    private static void Ip(params string[] args) => ExternalTools.Run("ip", args);
}
