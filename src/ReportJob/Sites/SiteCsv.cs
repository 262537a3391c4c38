using ReportJob.Snapshots;

namespace ReportJob.Sites;

/// <summary>
/// Reads a subnet → site CSV: plain <c>subnet,site</c> lines, or a file with a header naming its columns as the
/// routine's companion script and its users write them: the subnet in <c>subnet</c>, <c>SubnetB</c>, <c>CIDR</c> or
/// <c>Network</c>, the site in <c>site</c> or <c>Sitename</c>, other columns ignored (so the routine's own
/// <c>…-connectionbysite.csv</c> reads too). Subnets as CIDR, a bare address, or the shorthand <c>10.2.1</c>; <c>#</c>
/// comments and an Export-Csv <c>#TYPE</c> line; commas or semicolons; quotes as Excel and Export-Csv write them;
/// UTF-8 or UTF-16 with or without BOM.
/// </summary>
public static class SiteCsv
{
    private static readonly string[] SubnetColumns = ["subnet", "SubnetB", "CIDR", "Network"];
    private static readonly string[] SiteColumns = ["site", "Sitename"];

    public static IReadOnlyList<SiteSubnet> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Site mapping file not found: {path}", path);
        }

        using var stream = File.OpenRead(path);
        using var reader = CsvSnapshotReader.OpenText(stream);
        return Read(reader, path);
    }

    public static IReadOnlyList<SiteSubnet> Read(TextReader reader, string name)
    {
        // Site files are small: read the text to choose the delimiter from its first line of data.
        var text = reader.ReadToEnd();
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{name}: binary data, not a subnet,site CSV");
        }

        var first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) ?? "";
        var delimiter = first.Contains(',', StringComparison.Ordinal) ? ',' : ';';
        var records = new CsvRecordReader(new StringReader(text), name, delimiter);
        var result = new List<SiteSubnet>();
        int subnetColumn = 0, siteColumn = 1;
        var headerAllowed = true;
        while (records.Read() is { } fields)
        {
            var line = records.Line;
            if (fields[0].TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (headerAllowed)
            {
                headerAllowed = false;
                var named = (Find(fields, SubnetColumns), Find(fields, SiteColumns));
                if (named is ( >= 0, >= 0))
                {
                    (subnetColumn, siteColumn) = named;
                    continue;
                }

                if (fields.Count >= 2 && !Subnet.TryParse(fields[0], out _))
                {
                    continue; // a header row of other names, e.g. "Netz;Standort"
                }
            }

            if (fields.Count <= Math.Max(subnetColumn, siteColumn))
            {
                throw new InvalidDataException($"{name}:{line}: expected 'subnet{delimiter}site', got '{Shorten(string.Join(delimiter, fields))}'");
            }

            var subnetText = fields[subnetColumn].Trim();
            var site = fields[siteColumn].Trim();
            if (!Subnet.TryParse(subnetText, out var subnet))
            {
                throw new InvalidDataException($"{name}:{line}: '{Shorten(subnetText)}' is not a subnet (CIDR like 10.2.1.0/24, 2001:db8::/48, or 10.2.1)");
            }

            if (site.Length == 0)
            {
                throw new InvalidDataException($"{name}:{line}: subnet {subnet} has no site name");
            }

            result.Add(new SiteSubnet(subnet.Value, site));
        }

        return result;
    }

    private static int Find(IReadOnlyList<string> header, string[] names)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (names.Contains(header[i].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
