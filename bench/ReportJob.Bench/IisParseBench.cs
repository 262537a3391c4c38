using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Hosting;
using ReportJob.IisLogs;

namespace ReportJob.Bench;

/// <summary>
/// iis-parse: writes a realistic Exchange front-end IIS log of the given size (default 1024 MB) into a temp folder,
/// imports it into a fresh SQLite store (read + SHA-256 + parse + aggregate + merge, one transaction), and prints
/// lines/s, MB/s and the peak working set. Target: at least 500,000 lines/s.
/// </summary>
internal static class IisParseBench
{
    public const string Usage = "[SIZE_MB=1024]  generate an IIS W3C log, import it into SQLite, print lines/s, MB/s, peak memory";

    private const string Fields = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken X-Forwarded-For";

    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMb = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-bench-iis-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var log = Path.Combine(dir, "u_ex261120.log");
            var generate = Stopwatch.StartNew();
            var lines = Generate(log, sizeMb * 1024 * 1024);
            var bytes = new FileInfo(log).Length;
            Console.WriteLine($"iis-parse: generated {lines:N0} lines, {bytes / 1048576.0:N0} MB in {generate.Elapsed.TotalSeconds:0.0} s ({log})");

            var configuration = AppConfiguration.Build(null, new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Sqlite",
                ["Storage:ConnectionString"] = $"Data Source={Path.Combine(dir, "bench.db")}",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var host = AppHost.CreateBuilder(configuration).Build();
            await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);
            var importer = host.Services.GetRequiredService<IisLogImporter>();

            // The machine may be shared: CPU time says what the import costs whatever else runs.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var result = await importer.ImportAsync(log, CancellationToken.None);
            var seconds = watch.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

            var linesPerSecond = lines / seconds;
            Console.WriteLine($"iis-parse: {result.Status}: {result.Records:N0} requests, {result.BadLines:N0} bad lines, {lines:N0} lines in {seconds:0.00} s");
            Console.WriteLine($"iis-parse: {linesPerSecond:N0} lines/s, {bytes / 1048576.0 / seconds:N1} MB/s, {PeakMemory.Describe()}");
            Console.WriteLine($"iis-parse: {cpuSeconds:0.00} s CPU: {lines / cpuSeconds:N0} lines per CPU second, {bytes / 1048576.0 / cpuSeconds:N1} MB per CPU second; load average {LoadAverage()}");
            Console.WriteLine($"iis-parse: target 500,000 lines/s {(linesPerSecond >= 500_000 ? "met" : "MISSED")}");
            // What a long-running job server keeps after the import (the importer's tables should be gone).
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
            Console.WriteLine($"iis-parse: after the import {GC.GetTotalMemory(true) / 1e6:N0} MB live on the GC heap, {Environment.WorkingSet / 1e6:N0} MB working set");
            return result.Status == IisImportStatus.Imported && result.BadLines == 0 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>A day of an Exchange front end: mostly MAPI/HTTP from Outlook, then EWS, ActiveSync phones, probes; header repeated as after IIS restarts.</summary>
    private static long Generate(string path, long targetBytes)
    {
        var random = new Random(42);
        var clients = Enumerable.Range(0, 6000).Select(i => i < 5500
            ? string.Create(CultureInfo.InvariantCulture, $"10.{20 + (i / 250)}.{i % 250}.{1 + (i % 200)}")
            : string.Create(CultureInfo.InvariantCulture, $"2001:db8:{i % 64:x}::{i:x}")).ToArray();
        var users = Enumerable.Range(0, 4000).Select(i => string.Create(CultureInfo.InvariantCulture, $"CONTOSO\\user{i:0000}")).ToArray();
        var outlook = new[]
        {
            "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928;+Pro)",
            "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.16827;+Pro)",
            "Microsoft+Office/15.0+(Windows+NT+6.1;+Microsoft+Outlook+15.0.5589;+Pro)",
            "Outlook-iOS/2.0",
        };
        var phones = Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture, $"Apple-iPhone{12 + (i % 4)}C{1 + (i % 5)}/{2000 + i}.{i % 90}")).ToArray();
        var others = new[] { "ExchangeServicesClient/15.02.1544.004", "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/131.0.0.0+Safari/537.36+Edg/131.0.0.0", "Microsoft+BITS/7.8", "F5-Probe/1.0", "Microsoft+WinRM+Client" };
        var guids = Enumerable.Range(0, 2048).Select(_ => Guid.NewGuid().ToString("D")).ToArray();

        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20) { NewLine = "\r\n" };
        long lines = 0;
        var written = 0L;
        var time = 0;
        while (written < targetBytes)
        {
            if (lines % 1_000_000 == 0)
            {
                foreach (var header in new[] { "#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0", "#Date: 2026-11-20 00:00:00", Fields })
                {
                    writer.WriteLine(header);
                    written += header.Length + 2;
                    lines++;
                }
            }

            var c = random.Next(clients.Length);
            var client = clients[c];
            var user = users[c % users.Length];
            var roll = random.Next(1000);
            string method = "POST", stem, query, agent;
            if (roll < 550)
            {
                stem = roll % 3 == 0 ? "/mapi/nspi/" : "/mapi/emsmdb/";
                query = $"mailboxId={guids[c % guids.Length]}@contoso.com&CorrelationID=<empty>;&cafeReqId={guids[random.Next(guids.Length)]};";
                agent = outlook[c % outlook.Length];
            }
            else if (roll < 700)
            {
                stem = "/EWS/Exchange.asmx";
                query = "-";
                agent = c % 7 == 0 ? others[0] : outlook[c % outlook.Length];
            }
            else if (roll < 850)
            {
                stem = "/Microsoft-Server-ActiveSync/default.eas";
                query = $"Cmd=Ping&User={user[8..]}&DeviceId={guids[c % guids.Length][..8]}&DeviceType=iPhone";
                agent = phones[c % phones.Length];
            }
            else if (roll < 900)
            {
                method = "GET";
                stem = "/Autodiscover/Autodiscover.xml";
                query = "-";
                agent = outlook[c % outlook.Length];
            }
            else if (roll < 940)
            {
                method = "GET";
                stem = "/owa/";
                query = "-";
                agent = others[1];
            }
            else if (roll < 960)
            {
                stem = "/rpc/rpcproxy.dll";
                query = "ex01.contoso.com:6001";
                agent = "MSRPC";
            }
            else if (roll < 970)
            {
                method = "GET";
                stem = "/OAB/0f5b/oab.xml";
                query = "-";
                agent = others[2];
            }
            else if (roll < 980)
            {
                stem = "/PowerShell/";
                query = "serializationLevel=Full;clientApplication=ActiveMonitor";
                agent = others[4];
            }
            else
            {
                method = "GET";
                stem = "/healthcheck.htm";
                query = "-";
                agent = others[3];
                user = "-";
            }

            var status = random.Next(100) switch { < 5 => "401 1 2148074254", 5 => "403 4 5", 6 when roll % 5 == 0 => "500 0 0", _ => "200 0 0" };
            if (random.Next(8) == 0)
            {
                time++;
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"2026-11-20 {time / 3600 % 24:00}:{time / 60 % 60:00}:{time % 60:00} 10.0.0.10 {method} {stem} {query} 443 {user} {client} {agent} - {status} {random.Next(200, 90000)} {random.Next(200, 9000)} {random.Next(0, 400)} -");
            writer.WriteLine(line);
            written += line.Length + 2;
            lines++;
        }

        return lines;
    }
}
