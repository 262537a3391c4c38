using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.IisLogs;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.IisLogs;

/// <summary>
/// Logs as servers write them: IIS's own W3C format, the IIS Advanced Logging Module's, spaces IIS did not escape,
/// a #Fields line that lists too few fields, and a last line without a line end. Each request count is the number of
/// request lines (neither blank nor a directive) less the bad ones, which are named with file and line.
/// </summary>
public sealed class IisLogFormatsTests
{
    private static readonly DateOnly Nov20 = new(2026, 11, 20);
    private static readonly DateOnly Nov21 = new(2026, 11, 21);

    // The clock of every test here; the files' modification times are set relative to it.
    private readonly FixedTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private Task<TestDatabase> CreateAsync(StorageProvider provider, Dictionary<string, string?>? settings = null) =>
        TestDatabase.CreateAsync(provider, settings, s => s.AddSingleton<TimeProvider>(_clock));

    /// <summary>Writes the log as last written <paramref name="age"/> before the clock.</summary>
    private string Write(string directory, string name, string content, TimeSpan age)
    {
        var path = IisLogSamples.Write(directory, name, content);
        File.SetLastWriteTimeUtc(path, _clock.GetUtcNow().UtcDateTime - age);
        return path;
    }

    private static int RequestLines(string content) =>
        content.Split('\n').Select(l => l.Trim(' ', '\t', '\r')).Count(l => l.Length > 0 && l[0] != '#');

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_EachFormat_RequestsAreTheRequestLinesLessTheBadOnes(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider, new() { ["IisLogs:LocalTimeZone"] = "Europe/Berlin" });
        var importer = db.Get<IisLogImporter>();
        var cases = new[]
        {
            // 23 lines: 8 directives (the header twice), 15 requests.
            (Name: "u_ex261120.log", Content: IisLogSamples.DayOne, Lines: 15, Records: 15L, Bad: 0L),
            // 22 lines: 8 directives, 5 blank, 9 requests (the last one without a line end).
            ("advanced_20261120.log", IisLogSamples.AdvancedLogging, 9, 9, 0),
            // 10 lines: 4 directives, 6 requests, of which 2 cannot be read (lines 8 and 9).
            ("u_ex261120_spaces.log", IisLogSamples.UnescapedSpaces, 6, 4, 2),
        };

        foreach (var (name, content, lines, records, bad) in cases)
        {
            Assert.Equal(lines, RequestLines(content));
            var result = await importer.ImportAsync(Write(db.Directory, name, content, TimeSpan.FromHours(1)), default);
            Assert.Equal((IisImportStatus.Imported, records, bad, 0L), (result.Status, result.Records, result.BadLines, result.PendingBytes));
            Assert.Equal(lines, result.Records + result.BadLines);
        }

        Assert.Equal(15 + 9 + 4, await IisLogImporterTests.TotalRequestsAsync(db));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_AdvancedLogging_QuotedValuesAndLocalTimesOnTheirUtcDay(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider, new() { ["IisLogs:LocalTimeZone"] = "Europe/Berlin" });

        var result = await db.Get<IisLogImporter>().ImportAsync(Write(db.Directory, "advanced.log", IisLogSamples.AdvancedLogging, TimeSpan.FromHours(1)), default);

        Assert.Equal((9L, 0L), (result.Records, result.BadLines));
        var queries = db.Get<IisQueries>();
        Assert.Equal([Nov21, Nov20], await queries.DaysAsync(default));

        // Local 2026-11-21 00:00:00.001 and 00:59:59.999 are 2026-11-20 23:00 and 23:59 UTC.
        var first = await queries.TopClientsAsync(Nov20, 10, default);
        Assert.Equal(6, first.Sum(c => c.Requests));
        var outlook = first.Single(c => c.Client == "10.2.1.15");
        Assert.Equal(3, outlook.Requests);
        Assert.Equal([new IisCount(IisLogSamples.OutlookSpaced, 3)], outlook.UserAgents);
        Assert.Equal([new IisCount("contoso\\jdoe", 3)], outlook.Users);
        Assert.Equal((3000L, 1100L), (outlook.BytesSent, outlook.BytesReceived));
        var phone = first.Single(c => c.Client == "70.95.0.0");
        Assert.Equal([new IisCount(IisLogSamples.AndroidChrome, 2)], phone.UserAgents);
        Assert.Equal([new IisCount("OWA", 2)], phone.Protocols);
        Assert.Equal(1, first.Single(c => c.Client == "2001:db8:10::25").Status401);

        var second = await queries.TopClientsAsync(Nov21, 10, default);
        Assert.Equal(3, second.Sum(c => c.Requests));
        var crm = second.Single(c => c.Client == "10.3.0.7");
        // Quoted, so its '+' is a plus (IIS's own format writes a space as '+').
        Assert.Equal([new IisCount("CrmSync/4.1 (C++; x64)", 2)], crm.UserAgents);
        Assert.Equal(1, crm.Status5xx);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    public async Task Import_AdvancedLoggingReadAsUtc_LocalDaysUnconverted(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);

        await db.Get<IisLogImporter>().ImportAsync(Write(db.Directory, "advanced.log", IisLogSamples.AdvancedLogging, TimeSpan.FromHours(1)), default);

        var queries = db.Get<IisQueries>();
        Assert.Equal(4, (await queries.TopClientsAsync(Nov20, 10, default)).Sum(c => c.Requests));
        Assert.Equal(5, (await queries.TopClientsAsync(Nov21, 10, default)).Sum(c => c.Requests));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_UnescapedSpaces_PlacedWhereOnlyOneFieldFitsElseBadWithLine(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var path = Write(db.Directory, "u_ex261120.log", IisLogSamples.UnescapedSpaces, TimeSpan.FromHours(1));

        var result = await db.Get<IisLogImporter>().ImportAsync(path, default);

        Assert.Equal((4L, 2L), (result.Records, result.BadLines));
        Assert.Equal([8L, 9L], result.BadLineSamples.Select(b => b.Line));
        Assert.All(result.BadLineSamples, b => Assert.Equal(path, b.File));
        Assert.Contains("17 fields where #Fields lists 15", result.BadLineSamples[0].Reason, StringComparison.Ordinal);
        Assert.Contains("no free-text field", result.BadLineSamples[1].Reason, StringComparison.Ordinal);

        var clients = await db.Get<IisQueries>().TopClientsAsync(Nov20, 10, default);
        var outlook = clients.Single(c => c.Client == "10.2.1.15");
        Assert.Equal(2, outlook.Requests);
        Assert.Contains(new IisCount("Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; Win64; x64; Trident/7.0; Microsoft Outlook 16.0.5122; ms-office; MSOffice 16)", 1), outlook.UserAgents);
        var browser = clients.Single(c => c.Client == "10.3.0.7");
        Assert.Equal(2, browser.Requests);
        Assert.Equal([new IisCount("Mozilla/5.0 (Windows NT 10.0; Win64; x64)", 2)], browser.UserAgents);
        Assert.DoesNotContain(clients, c => c.Client is "2001:db8:10::25" or "10.2.1.16");
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_FieldsLineListsFewerFieldsThanTheLines_SaidOnceAtThatLine(StorageProvider provider)
    {
        // A tool cut the #Fields line after cs(User-Agent): 10 names, 15 values a line. IIS restarts later (line 11).
        await using var db = await CreateAsync(provider, new() { ["IisLogs:BadLineSamples"] = "1" });
        var cut = IisLogSamples.DefaultFields[..(IisLogSamples.DefaultFields.IndexOf("cs(User-Agent)", StringComparison.Ordinal) + "cs(User-Agent)".Length)];
        var log = IisLogSamples.Lines(
            "#Software: Microsoft Internet Information Services 10.0",
            "#Version: 1.0",
            "#Date: 2026-11-20 00:00:01",
            cut,
            $"2026-11-20 00:00:01 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\\jdoe 10.2.1.15 {IisLogSamples.Outlook} - 200 0 0 31",
            $"2026-11-20 00:00:02 10.0.0.10 POST /mapi/nspi/ - 443 CONTOSO\\jdoe 10.2.1.15 {IisLogSamples.Outlook} - 200 0 0 15",
            "2026-11-20 00:00:03 10.0.0.10 GET /owa/ - 443 - 10.3.0.7 Mozilla/5.0 - 302 0 0 0",
            "2026-11-20 00:00:04 10.0.0.10 GET /owa/ - 443 - 10.3.0.7 Mozilla/5.0 - 200 0 0 0",
            "2026-11-20 00:00:05 10.0.0.10 GET /ecp/ - 443 - 10.3.0.7 Mozilla/5.0 - 403 4 5 1",
            "#Date: 2026-11-20 12:00:00",
            IisLogSamples.DefaultFields,
            $"2026-11-20 12:00:01 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\\jdoe 10.2.1.15 {IisLogSamples.Outlook} - 200 0 0 12",
            "2026-11-20 12:00:02 10.0.0.10 GET /owa/ - 443 - 10.3.0.7 Mozilla/5.0 - 200 0 0 3");
        Assert.Equal(10, cut.Split(' ').Length - 1);
        var path = Write(db.Directory, "u_ex261120.log", log, TimeSpan.FromHours(1));

        var result = await db.Get<IisLogImporter>().ImportAsync(path, default);

        Assert.Equal((2L, 5L), (result.Records, result.BadLines));
        var said = Assert.Single(result.BadLineSamples);
        Assert.Equal(path, said.File);
        Assert.Equal(4, said.Line);
        Assert.Contains("#Fields lists 10 fields, but the records under it carry 15 (the first at line 5)", said.Reason, StringComparison.Ordinal);
        Assert.Contains("5 such lines were not counted", said.Reason, StringComparison.Ordinal);
        Assert.Equal(2, await IisLogImporterTests.TotalRequestsAsync(db));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    public async Task Import_FirstRecordHasAFieldTooManyButOthersFit_OrdinaryBadLines(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var log = IisLogSamples.Lines(
            "#Fields: date time c-ip cs-uri-stem sc-status",
            "2026-11-20 10:00:00 10.1.1.1 /owa/ extra 200",
            "2026-11-20 10:00:01 10.1.1.1 /owa/ 200",
            "2026-11-20 10:00:02 10.1.1.1 /owa/ extra 200");

        var result = await db.Get<IisLogImporter>().ImportAsync(Write(db.Directory, "few.log", log, TimeSpan.FromHours(1)), default);

        Assert.Equal((1L, 2L), (result.Records, result.BadLines));
        Assert.Equal([2L, 4L], result.BadLineSamples.Select(b => b.Line));
        Assert.All(result.BadLineSamples, b => Assert.Contains("6 fields where #Fields lists 5, and no free-text field", b.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_LastLineWithoutLineEnd_CountedOnceTheFileSettled(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var importer = db.Get<IisLogImporter>();
        var content = IisLogSamples.DayOne.TrimEnd('\r', '\n');

        // Written 30 s ago (InboxSettleTime is 2 minutes): the last line may still be being written.
        var path = Write(db.Directory, "u_ex261120.log", content, TimeSpan.FromSeconds(30));
        var first = await importer.ImportAsync(path, default);
        Assert.Equal((14L, true), (first.Records, first.PendingBytes > 0));

        _clock.Now += TimeSpan.FromMinutes(2);
        var second = await importer.ImportAsync(path, default);
        Assert.Equal((IisImportStatus.Imported, 1L, 0L), (second.Status, second.Records, second.PendingBytes));
        Assert.Equal(first.ContentBytes, second.StartOffset);
        Assert.Equal(new FileInfo(path).Length, second.ContentBytes);
        Assert.Equal(IisImportStatus.UpToDate, (await importer.ImportAsync(path, default)).Status);

        // IIS goes on writing the same log: the line end, then more.
        var grown = Write(db.Directory, "u_ex261120.log", content + "\r\n2026-11-20 23:59:59 10.0.0.10 GET /owa/ - 443 - 10.3.0.7 Mozilla/5.0 200 0 0 300 100 7 mail.contoso.com -\r\n", TimeSpan.FromHours(1));
        var third = await importer.ImportAsync(grown, default);
        Assert.Equal((1L, 0L), (third.Records, third.BadLines));
        Assert.Equal(16, await IisLogImporterTests.TotalRequestsAsync(db));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    public async Task Import_OnlyRequestLineWithoutLineEnd_SameLogWhenItGrows(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var importer = db.Get<IisLogImporter>();
        var header = IisLogSamples.Lines("#Software: Microsoft Internet Information Services 10.0", "#Fields: date time c-ip cs-uri-stem sc-status");
        var one = "2026-11-20 10:00:00 10.1.1.1 /owa/ 200";

        var first = await importer.ImportAsync(Write(db.Directory, "u_ex261120.log", header + one, TimeSpan.FromHours(1)), default);
        Assert.Equal((IisImportStatus.Imported, 1L), (first.Status, first.Records));

        var grown = await importer.ImportAsync(Write(db.Directory, "u_ex261120.log", header + IisLogSamples.Lines(one, "2026-11-20 10:00:01 10.1.1.1 /owa/ 200"), TimeSpan.FromHours(1)), default);
        Assert.Equal((IisImportStatus.Imported, 1L, 0L), (grown.Status, grown.Records, grown.BadLines));
        Assert.Equal(first.ContentBytes, grown.StartOffset);
        Assert.Equal(2, await IisLogImporterTests.TotalRequestsAsync(db));
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM iis_log_file"));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Inbox_LastLineWithoutLineEnd_CountedAndFileMovedYoungerFileWaits(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var inbox = db.Get<Microsoft.Extensions.Options.IOptions<IisLogsOptions>>().Value.InboxPath = Path.Combine(db.Directory, "inbox");
        Directory.CreateDirectory(inbox);
        Write(inbox, "u_ex261120.log", IisLogSamples.DayOne.TrimEnd('\r', '\n'), TimeSpan.FromMinutes(5));
        Write(inbox, "advanced.log", IisLogSamples.AdvancedLogging, TimeSpan.FromSeconds(30));

        var result = await db.Get<IisLogInbox>().ProcessAsync(default);

        var done = Assert.Single(result.Files);
        Assert.Equal((IisImportStatus.Imported, 15L, 0L), (done.Status, done.Records, done.PendingBytes));
        Assert.True(File.Exists(Path.Combine(inbox, "done", "u_ex261120.log")));
        Assert.Equal(1, result.Waiting);
        Assert.True(File.Exists(Path.Combine(inbox, "advanced.log")));
        Assert.Equal(15, await IisLogImporterTests.TotalRequestsAsync(db));
    }
}
