using System.Globalization;

namespace ReportJob.Reports.Charts;

/// <summary>Numbers inside SVG are written with the invariant culture (attributes), short labels with SI suffixes.</summary>
public static class ChartFormat
{
    public static string Px(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>1.2k, 3.4M, 5G: axis labels that fit; the full figure goes in the title tooltip.</summary>
    public static string Short(double value, CultureInfo culture)
    {
        var abs = Math.Abs(value);
        return abs switch
        {
            >= 1e12 => (value / 1e12).ToString("0.#", culture) + "T",
            >= 1e9 => (value / 1e9).ToString("0.#", culture) + "G",
            >= 1e6 => (value / 1e6).ToString("0.#", culture) + "M",
            >= 1e4 => (value / 1e3).ToString("0.#", culture) + "k",
            _ => value.ToString(abs >= 10 || value == Math.Floor(value) ? "#,0" : "0.##", culture),
        };
    }

    /// <summary>Bytes with binary units: 1.5 MiB.</summary>
    public static string Bytes(double value, CultureInfo culture)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var i = 0;
        while (Math.Abs(value) >= 1024 && i < units.Length - 1)
        {
            value /= 1024;
            i++;
        }

        return value.ToString(i == 0 ? "#,0" : "0.0", culture) + " " + units[i];
    }
}
