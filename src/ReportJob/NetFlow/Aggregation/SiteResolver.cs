using ReportJob.NetFlow.Decoding;
using ReportJob.Sites;

namespace ReportJob.NetFlow;

/// <summary>
/// Host → site through the site mapping, straight from the address's bits (no <see cref="System.Net.IPAddress"/>, no
/// cache: a probe per prefix length of the map costs less than a cache of every host seen, which on a capture of many
/// hosts took a sixth of the writer's time in cache misses and a few MB of memory).
/// </summary>
internal sealed class SiteResolver(SiteMap map)
{
    private readonly bool _empty = map.Entries.Count == 0;

    public string Site(FlowAddress address)
    {
        if (_empty)
        {
            return SiteMap.Unknown;
        }

        return address.IsIPv4
            ? map.Lookup(address.IPv4Value, isIPv4: true)
            : map.Lookup(new UInt128(address.High, address.Low), isIPv4: false);
    }
}
