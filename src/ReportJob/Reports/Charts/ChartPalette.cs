namespace ReportJob.Reports.Charts;

/// <summary>Colour-blind-safe series colours (Okabe–Ito), repeated when there are more series.</summary>
public static class ChartPalette
{
    private static readonly string[] Colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

    public static string Color(int index) => Colors[((index % Colors.Length) + Colors.Length) % Colors.Length];
}
