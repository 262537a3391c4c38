using System.Net;

namespace ReportJob.Sites;

/// <summary>Subnet → site with longest-prefix match, IPv4 and IPv6. Immutable; build once per run.</summary>
public sealed class SiteMap
{
    public const string Unknown = "(unknown)";

    // One table per prefix length present, searched from the longest: at most 33 (IPv4) or 129 (IPv6) probes.
    private readonly (int Length, Dictionary<UInt128, (Subnet Subnet, string Site)> Table)[] _v4;
    private readonly (int Length, Dictionary<UInt128, (Subnet Subnet, string Site)> Table)[] _v6;

    public SiteMap(IEnumerable<SiteSubnet> entries)
    {
        var list = entries.ToList();
        Entries = list;
        _v4 = Build(list.Where(e => e.Subnet.IsIPv4));
        _v6 = Build(list.Where(e => !e.Subnet.IsIPv4));
    }

    public static SiteMap Empty { get; } = new([]);

    public IReadOnlyList<SiteSubnet> Entries { get; }

    public string Lookup(IPAddress address) => TryLookup(address, out var match) ? match.Site : Unknown;

    public bool TryLookup(IPAddress address, out SiteSubnet match)
    {
        var (bits, v4) = Subnet.ToBits(address);
        return TryLookup(bits, v4, out match);
    }

    /// <summary>
    /// The site of an address given as its bits (<see cref="Subnet.Bits"/>: IPv4 in the low 32 bits), without an
    /// <see cref="IPAddress"/>: one hash probe per prefix length in the map, nothing allocated.
    /// </summary>
    public string Lookup(UInt128 bits, bool isIPv4) => TryLookup(bits, isIPv4, out var match) ? match.Site : Unknown;

    private bool TryLookup(UInt128 bits, bool isIPv4, out SiteSubnet match)
    {
        foreach (var (length, table) in isIPv4 ? _v4 : _v6)
        {
            if (table.TryGetValue(bits & Subnet.Mask(length, isIPv4), out var hit))
            {
                match = new SiteSubnet(hit.Subnet, hit.Site);
                return true;
            }
        }

        match = default;
        return false;
    }

    private static (int, Dictionary<UInt128, (Subnet, string)>)[] Build(IEnumerable<SiteSubnet> entries)
    {
        var byLength = new SortedDictionary<int, Dictionary<UInt128, (Subnet, string)>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var e in entries)
        {
            if (!byLength.TryGetValue(e.Subnet.PrefixLength, out var table))
            {
                byLength[e.Subnet.PrefixLength] = table = [];
            }

            // The last definition of a subnet wins, as when a CSV row is corrected further down.
            table[e.Subnet.Bits] = (e.Subnet, e.Site);
        }

        return byLength.Select(kv => (kv.Key, kv.Value)).ToArray();
    }
}
