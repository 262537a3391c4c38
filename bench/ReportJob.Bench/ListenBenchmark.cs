using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Bench;

/// <summary>
/// The UDP collector under load: a capture's export datagrams sent over loopback at given rates to the collector in
/// this process, which writes them to rotated pcap files as <c>reportjob listen</c> does; prints per rate what was
/// sent, received, and lost in the kernel (the socket's receive buffer full).
/// </summary>
internal static class ListenBenchmark
{
    public const string Usage = "FILE [RATES] [DATAGRAMS]: the collector receiving FILE's export datagrams over loopback at each of RATES datagrams/s (comma-separated, 0 = as fast as one sender can; default 25000,50000,100000,200000,0), DATAGRAMS per rate (default 100000); prints received and lost";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: listen " + Usage);
            return 2;
        }

        var payloads = new List<byte[]>();
        using (var stream = File.OpenRead(args[0]))
        using (var reader = CaptureReader.Open(stream))
        {
            while (reader.TryRead(out var d))
            {
                payloads.Add(d.Payload.ToArray());
            }
        }

        var rates = (args.Length > 1 ? args[1] : "25000,50000,100000,200000,0").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList();
        var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        var work = Path.Combine(Path.GetTempPath(), "reportjob-bench-listen");
        Print($"{payloads.Count:N0} datagrams of {args[0]} ({payloads.Average(p => p.Length):F0} bytes on average), {count:N0} sent per rate; receive buffer asked 8 MB (net.core.rmem_max {File.ReadAllText("/proc/sys/net/core/rmem_max").Trim()} bytes)");
        Print($"{"rate asked",12} {"sent/s",10} {"sent",9} {"received",9} {"lost",7} {"lost %",7}");
        var granted = 0;
        foreach (var rate in rates)
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            var collector = new UdpCollector(TimeProvider.System, NullLogger<UdpCollector>.Instance);
            var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            collector.Bound += e => bound.TrySetResult(e);
            using var stop = new CancellationTokenSource();
            var run = Task.Run(() => collector.RunAsync(new ListenSettings(IPAddress.Loopback, 0, work, TimeSpan.FromMinutes(5), 64L << 20, 8 << 20), stop.Token));
            var port = (await bound.Task.WaitAsync(TimeSpan.FromSeconds(10))).Port;

            var seconds = Send(payloads, count, rate, new IPEndPoint(IPAddress.Loopback, port));
            // What the socket still holds is read before the collector stops.
            await Task.Delay(500);
            await stop.CancelAsync();
            var counters = await run;
            granted = counters.ReceiveBufferBytes;
            var lost = count - counters.Received;
            Print($"{(rate == 0 ? "unpaced" : rate.ToString("N0", CultureInfo.InvariantCulture)),12} {count / seconds,10:N0} {count,9:N0} {counters.Received,9:N0} {lost,7:N0} {100.0 * lost / count,6:F1}%");
            if (counters.Written != counters.Received || (counters.KernelDrops >= 0 && counters.KernelDrops + counters.Received + counters.Dropped != count))
            {
                Print($"  counters: written {counters.Written:N0}, not written (disk) {counters.NotWritten:N0}, receive errors {counters.Dropped:N0}, kernel drops {counters.KernelDrops:N0}");
            }
        }

        Directory.Delete(work, recursive: true);
        Print($"receive buffer granted {granted:N0} bytes; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return 0;
    }

    /// <summary>Sends <paramref name="count"/> datagrams (the capture's, over and over) at <paramref name="rate"/> a second (0: unpaced); returns the seconds taken.</summary>
    private static double Send(List<byte[]> payloads, int count, int rate, IPEndPoint to)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(to);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            socket.Send(payloads[i % payloads.Count]);
            if (rate > 0 && i % 64 == 63)
            {
                var ahead = TimeSpan.FromSeconds((i + 1.0) / rate) - watch.Elapsed;
                if (ahead > TimeSpan.FromMilliseconds(1))
                {
                    Thread.Sleep(ahead);
                }
                else
                {
                    while (watch.Elapsed < TimeSpan.FromSeconds((i + 1.0) / rate))
                    {
                        Thread.SpinWait(20);
                    }
                }
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static void Print(FormattableString text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
