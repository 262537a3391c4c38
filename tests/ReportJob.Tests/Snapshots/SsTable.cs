using System.Net;
using ReportJob.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>The oracle: iproute2's <c>ss</c> for one state and some local ports, as <see cref="LoopbackConnections.Key"/> strings.</summary>
internal static class SsTable
{
    public static List<string> Read(string ssState, TcpState state, IEnumerable<int> localPorts)
    {
        var filter = "( " + string.Join(" or ", localPorts.Select(p => $"sport = :{p}")) + " )";
        // With a state filter ss leaves the State column out: Recv-Q Send-Q Local:Port Peer:Port.
        var text = ExternalTools.Run("ss", ["-tanH", "state", ssState, filter]);
        var keys = new List<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var (local, localPort) = Endpoint(f[2]);
            var (remote, remotePort) = Endpoint(f[3]);
            keys.Add(LoopbackConnections.Key(new TcpConnection(local, localPort, remote, remotePort, state)));
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static (IPAddress, int) Endpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        var address = text[..colon].Trim('[', ']');
        var percent = address.IndexOf('%');
        if (percent >= 0)
        {
            address = address[..percent];
        }

        return (SnapshotStore.Normalize(IPAddress.Parse(address)), int.Parse(text[(colon + 1)..]));
    }
}
