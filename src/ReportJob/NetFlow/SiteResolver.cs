using ReportJob.Sites;

namespace ReportJob.NetFlow;

/// <summary>Host → site through the site mapping, with a bounded cache (SiteMap takes an IPAddress, which allocates).</summary>
internal sealed class SiteResolver(SiteMap map)
{
    private const int MaxCached = 200_000;
    private readonly Dictionary<FlowAddress, string> _cache = [];

    public string Site(FlowAddress address)
    {
        if (_cache.TryGetValue(address, out var site))
        {
            return site;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        site = map.Entries.Count == 0 ? SiteMap.Unknown : map.Lookup(address.ToIPAddress());
        _cache[address] = site;
        return site;
    }
}
