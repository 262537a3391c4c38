using System.Text;

namespace ReportJob.Sites;

/// <summary>
/// Reads the subnet → site CSV: <c>subnet,site</c> per line (CIDR, a bare address, or the shorthand <c>10.2.1</c>),
/// an optional header, <c>#</c> comments, commas or semicolons, quotes as Excel writes them.
/// </summary>
public static class SiteCsv
{
    public static IReadOnlyList<SiteSubnet> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Site mapping file not found: {path}", path);
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    public static IReadOnlyList<SiteSubnet> Read(TextReader reader, string name)
    {
        var result = new List<SiteSubnet>();
        var lineNumber = 0;
        var headerAllowed = true;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (trimmed.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{name}:{lineNumber}: binary data, not a subnet,site CSV");
            }

            var mayBeHeader = headerAllowed;
            headerAllowed = false;
            var separator = trimmed.Contains(',', StringComparison.Ordinal) ? ',' : ';';
            var fields = trimmed.Split(separator, 2);
            if (fields.Length != 2)
            {
                throw new InvalidDataException($"{name}:{lineNumber}: expected 'subnet{separator}site', got '{Shorten(trimmed)}'");
            }

            var subnetText = Unquote(fields[0]);
            var site = Unquote(fields[1]);
            if (!Subnet.TryParse(subnetText, out var subnet))
            {
                if (mayBeHeader)
                {
                    continue; // a header row such as "subnet,site" or "Subnet,Sitename"
                }

                throw new InvalidDataException($"{name}:{lineNumber}: '{Shorten(subnetText)}' is not a subnet (CIDR like 10.2.1.0/24, 2001:db8::/48, or 10.2.1)");
            }

            if (site.Length == 0)
            {
                throw new InvalidDataException($"{name}:{lineNumber}: subnet {subnet} has no site name");
            }

            result.Add(new SiteSubnet(subnet.Value, site));
        }

        return result;
    }

    private static string Unquote(string field)
    {
        var f = field.Trim();
        if (f.Length >= 2 && f[0] == '"' && f[^1] == '"')
        {
            f = f[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return f.Trim();
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
