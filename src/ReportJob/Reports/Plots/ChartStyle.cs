using ScottPlot;

namespace ReportJob.Reports.Plots;

/// <summary>
/// How every chart looks: DejaVu Sans (ScottPlot's default would be DejaVu Serif), a bold title, labels large enough
/// to read on paper, light grid lines, and colour-blind-safe series colours (Okabe–Ito).
/// </summary>
public static class ChartStyle
{
    public const float TitleSize = 15;
    public const float LabelSize = 12;

    private static readonly Color[] Palette =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#E69F00"), Color.FromHex("#009E73"), Color.FromHex("#D55E00"),
        Color.FromHex("#CC79A7"), Color.FromHex("#56B4E9"), Color.FromHex("#F0E442"), Color.FromHex("#000000"),
    ];

    public static Color SeriesColor(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    public static void Apply(Plot plot, string title)
    {
        plot.Font.Set(ChartFonts.Family);
        plot.Title(title, TitleSize);
        plot.Axes.Title.Label.Bold = true;
        plot.Axes.Title.Label.ForeColor = Color.FromHex("#1B1B1B");
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.FontSize = LabelSize;
            axis.TickLabelStyle.ForeColor = Color.FromHex("#333333");
            axis.Label.FontSize = LabelSize;
            axis.Label.Bold = false;
            axis.FrameLineStyle.Color = Color.FromHex("#777777");
            axis.MajorTickStyle.Color = Color.FromHex("#777777");
            axis.MinorTickStyle.Length = 0;
        }

        // A tick label centred on the last tick of an axis reaches past the data area by half its width: the right
        // and top margins leave room for it (a time axis ending at 24:00, a byte axis ending at 1,000 MiB).
        plot.Axes.Right.MinimumSize = 36;
        plot.Axes.Left.MinimumSize = 40;
        plot.Axes.Top.MinimumSize = 8;
        plot.Grid.MajorLineColor = Color.FromHex("#E5E8EB");
        plot.Grid.MinorLineWidth = 0;
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = LabelSize;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
    }
}
