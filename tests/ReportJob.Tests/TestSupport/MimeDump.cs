using System.Text;
using System.Text.RegularExpressions;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// A small MIME reader for tests: walks multipart bodies, decodes base64 and quoted-printable, and prints a
/// normalised dump (Date, Message-ID and boundaries replaced) fit for a golden file.
/// </summary>
internal static partial class MimeDump
{
    public sealed record Part(Dictionary<string, string> Headers, string ContentType, byte[] Body, List<Part> Children)
    {
        public string Text => Encoding.UTF8.GetString(Body);

        public IEnumerable<Part> All() => new[] { this }.Concat(Children.SelectMany(c => c.All()));
    }

    public static Part Parse(string raw)
    {
        raw = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = raw.IndexOf("\n\n", StringComparison.Ordinal);
        var headerText = split < 0 ? raw : raw[..split];
        var body = split < 0 ? "" : raw[(split + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in headerText.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        var contentType = headers.GetValueOrDefault("Content-Type", "text/plain");
        var children = new List<Part>();
        var boundary = BoundaryParam().Match(contentType);
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && boundary.Success)
        {
            var marker = "--" + boundary.Groups[1].Value;
            var pieces = body.Split(marker);
            foreach (var piece in pieces.Skip(1))
            {
                if (piece.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                children.Add(Parse(piece.TrimStart('\n')));
            }

            return new Part(headers, contentType, [], children);
        }

        var encoding = headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit").ToLowerInvariant();
        var bytes = encoding switch
        {
            "base64" => Convert.FromBase64String(string.Concat(body.Split('\n').Select(l => l.Trim()))),
            "quoted-printable" => QuotedPrintable(body),
            _ => Encoding.UTF8.GetBytes(body),
        };
        return new Part(headers, contentType, bytes, children);
    }

    /// <summary>Headers and text bodies in order; attachments as name and size; volatile values normalised.</summary>
    public static string Dump(Part root)
    {
        var sb = new StringBuilder();
        Write(root, sb, 0);
        return sb.ToString();
    }

    private static void Write(Part part, StringBuilder sb, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var (key, value) in part.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            var v = key.ToLowerInvariant() switch
            {
                "date" => "<date>",
                "message-id" => "<message-id>",
                _ => BoundaryValue().Replace(value, "boundary=\"<boundary>\""),
            };
            sb.Append(indent).Append(key).Append(": ").AppendLine(v);
        }

        if (part.Children.Count > 0)
        {
            foreach (var child in part.Children)
            {
                sb.Append(indent).AppendLine("--- part");
                Write(child, sb, depth + 1);
            }

            return;
        }

        if (part.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var line in part.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                sb.Append(indent).Append("| ").AppendLine(line);
            }
        }
        else
        {
            // The size of a binary part (a zip) varies with its entries' timestamps: tests compare its bytes instead.
            sb.Append(indent).AppendLine("<binary>");
        }
    }

    private static byte[] QuotedPrintable(string body)
    {
        var output = new List<byte>();
        var text = body.Replace("=\n", "", StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                output.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                output.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. output];
    }

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParam();

    [GeneratedRegex("boundary=\"?[^\";]+\"?", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryValue();
}
