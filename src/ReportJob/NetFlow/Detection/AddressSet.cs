using System.Net;

namespace ReportJob.NetFlow;

/// <summary>Addresses and CIDR prefixes from the configuration (e.g. the mail servers allowed to fan out), matched as text addresses.</summary>
internal sealed class AddressSet(IEnumerable<string> entries)
{
    private readonly List<IPNetwork> _networks = entries.Select(e => TryParseEntry(e, out var n) ? n : throw new FormatException($"'{e}' is not an address or CIDR prefix")).ToList();

    /// <summary>An address (a /32 or /128) or a prefix such as <c>192.0.2.0/24</c>.</summary>
    public static bool TryParseEntry(string text, out IPNetwork network)
    {
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="address"/> (as stored) lies in one of the entries.</summary>
    public bool Contains(string address)
    {
        if (_networks.Count == 0 || !IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return _networks.Any(n => n.Contains(ip));
    }
}
