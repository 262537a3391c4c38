using System.Net;
using System.Text.RegularExpressions;

namespace ReportJob.Reports.Plots;

/// <summary>
/// Turns ScottPlot's SVG document into an element that can stand inline in the report beside the other charts.
/// </summary>
public static partial class SvgMarkup
{
    public static string Inline(string svg, string id, string title)
    {
        svg = XmlDeclaration().Replace(svg, "");
        // Skia numbers clip paths with a counter of the whole process (cl_4, cl_13d …), and inline every chart's ids
        // share one page: renumber them per chart, in order, under the chart's id.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        svg = IdAttribute().Replace(svg, m =>
        {
            var renamed = $"{id}-clip{ids.Count + 1}";
            ids[m.Groups[1].Value] = renamed;
            return $"id=\"{renamed}\"";
        });
        svg = UrlReference().Replace(svg, m => $"url(#{(ids.TryGetValue(m.Groups[1].Value, out var renamed) ? renamed : m.Groups[1].Value)})");
        // Each glyph is placed at DejaVu Sans's advance, so a reader without that font sees a similar one at the same
        // places: nothing moves past the chart's edge.
        svg = svg.Replace("font-family=\"DejaVu Sans\"", "font-family=\"'DejaVu Sans', Verdana, sans-serif\"", StringComparison.Ordinal);
        svg = TextPadding().Replace(svg, ">$1</text>");
        var root = RootElement().Match(svg);
        if (!root.Success)
        {
            throw new InvalidOperationException("ScottPlot's SVG has no width and height on its root element");
        }

        var (width, height) = (root.Groups["w"].Value, root.Groups["h"].Value);
        var attributes = $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-{id}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\" " +
                         $"width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">";
        return (svg[..root.Index] + attributes + svg[(root.Index + root.Length)..]).Trim();
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("<svg [^>]*width=\"(?<w>[0-9.]+)\" height=\"(?<h>[0-9.]+)\"[^>]*>")]
    private static partial Regex RootElement();

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex(@">\s+([^<]*?)\s*</text>")]
    private static partial Regex TextPadding();
}
