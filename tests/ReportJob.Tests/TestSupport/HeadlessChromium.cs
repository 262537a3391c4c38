namespace ReportJob.Tests.TestSupport;

/// <summary>Headless Chromium as the tests run it: no network of its own, a profile folder of the test's.</summary>
internal static class HeadlessChromium
{
    public static string[] Flags(string profile, bool logging = false) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars", .. logging ? new[] { "--enable-logging=stderr", "--v=0" } : [], "--user-data-dir=" + profile,
    ];

    /// <summary>Takes a screenshot of a page into TestResults/screenshots and returns its path (checked to show a rendered page).</summary>
    public static string Screenshot(string profile, string page, string name, int width, int height, long minimumBytes)
    {
        var shots = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        var shot = Path.Combine(shots, name);
        File.Delete(shot);
        var (code, _, log) = ExternalTools.RunRaw("chromium",
            [.. Flags(profile), "--screenshot=" + shot, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--window-size={width},{height}"), new Uri(page).AbsoluteUri],
            TimeSpan.FromSeconds(90));
        Assert.True(code == 0 && File.Exists(shot), "chromium made no screenshot: " + log);
        Assert.True(new FileInfo(shot).Length > minimumBytes, "the screenshot should show a rendered page");
        return shot;
    }
}
