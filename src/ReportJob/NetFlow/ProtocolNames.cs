using System.Globalization;

namespace ReportJob.NetFlow;

/// <summary>Short names of the common IP protocols, for tables and evidence; the number otherwise.</summary>
internal static class ProtocolNames
{
    public static string Name(int protocol) => protocol switch
    {
        1 => "icmp",
        2 => "igmp",
        6 => "tcp",
        17 => "udp",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "icmp6",
        89 => "ospf",
        132 => "sctp",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    public static bool TryParse(string text, out int protocol)
    {
        for (var p = 0; p < 256; p++)
        {
            if (string.Equals(Name(p), text, StringComparison.OrdinalIgnoreCase))
            {
                protocol = p;
                return true;
            }
        }

        protocol = -1;
        return false;
    }

    /// <summary><c>tcp/443</c>; port -1 (the "other ports" row) shows as <c>tcp/(other)</c>.</summary>
    public static string PortLabel(int protocol, int port) =>
        port < 0 ? Name(protocol) + "/(other)" : Name(protocol) + "/" + port.ToString(CultureInfo.InvariantCulture);
}
