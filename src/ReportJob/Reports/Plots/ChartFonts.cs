using ScottPlot;
using SkiaSharp;

namespace ReportJob.Reports.Plots;

/// <summary>
/// The charts' typeface, DejaVu Sans regular and bold, embedded in the executable (templates/fonts). ScottPlot's Linux
/// native library reads font folders itself: on a machine without fonts it would draw every label as nothing, silently.
/// ScottPlot keeps its font resolvers in a process-wide list, so they are registered once, before the first chart.
/// </summary>
internal sealed class ChartFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<ChartFonts> Registered = new(() =>
    {
        var fonts = new ChartFonts(Load("DejaVuSans.ttf"), Load("DejaVuSans-Bold.ttf"));
        Fonts.FontResolvers.Insert(0, fonts);
        Fonts.Default = Family;
        Fonts.Sans = Family;
        return fonts;
    });

    private readonly SKTypeface _regular;
    private readonly SKTypeface _bold;

    private ChartFonts(SKTypeface regular, SKTypeface bold)
    {
        _regular = regular;
        _bold = bold;
    }

    /// <summary>Registers the embedded fonts with ScottPlot (once per process) and makes them the default.</summary>
    public static void Register() => _ = Registered.Value;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase) ? (bold ? _bold : _regular) : null;

    private static SKTypeface Load(string file)
    {
        var name = "templates/fonts/" + file;
        using var stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(name + " is not embedded");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException(name + " is not a font Skia can read");
    }
}
