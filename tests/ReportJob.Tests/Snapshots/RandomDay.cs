using System.Net;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// A random day of snapshots (<see cref="Snapshot"/> and <see cref="SnapshotFailure"/>, in time order) with what runs must
/// get right: three servers collected every 5 minutes a few seconds apart, one with no creation times (Linux), one that
/// fails for 15 minutes and one that is not collected for 45 (a gap that ends runs and first-seen chains); connections
/// that close, open, change state, come back with the same creation time or a new one on the same port; a burst;
/// IPv4 and IPv6 clients; a local address with a scope id; times to the millisecond, creation times to the tick.
/// </summary>
internal static class RandomDay
{
    public static readonly string[] Servers = ["EX1", "EX2", "EX3"];

    private static readonly TcpState[] States = [TcpState.Established, TcpState.Established, TcpState.Established, TcpState.TimeWait, TcpState.CloseWait, TcpState.FinWait2, TcpState.SynReceived];

    public static List<object> Generate(int seed, DateTime startUtc, int rounds)
    {
        var random = new Random(seed);
        var clients = Enumerable.Range(0, 40).Select(i => i % 4 == 3 ? IPAddress.Parse($"2001:db8::{i + 1:x}") : IPAddress.Parse($"10.{2 + (i % 3)}.{i / 3}.{i + 1}")).ToArray();
        IPAddress[] locals = [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fe80::10%3")];
        var live = Servers.Select(_ => new List<TcpConnection>()).ToArray();
        var gone = Servers.Select(_ => new List<TcpConnection>()).ToArray();
        var items = new List<object>();
        for (var r = 0; r < rounds; r++)
        {
            var roundStart = startUtc.AddMinutes(5 * r);
            for (var s = 0; s < Servers.Length; s++)
            {
                var taken = roundStart.AddMilliseconds((s * 2_000) + random.Next(0, 1_500));
                var list = live[s];
                // Churn, state changes, returns.
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (random.NextDouble() < 0.15)
                    {
                        gone[s].Add(list[i]);
                        list.RemoveAt(i);
                    }
                    else if (random.NextDouble() < 0.05)
                    {
                        list[i] = list[i] with { State = States[random.Next(States.Length)] };
                    }
                }

                var opening = random.Next(5, 25) + (r == 40 && s == 0 ? 12 : 0);
                for (var i = 0; i < opening; i++)
                {
                    var created = r == 40 && s == 0 && i < 12
                        ? roundStart.AddMinutes(-2).AddTicks(random.Next(0, 500_000_000))
                        : taken.AddTicks(-random.NextInt64(1, 300 * TimeSpan.TicksPerSecond));
                    TcpConnection c;
                    if (gone[s].Count > 0 && random.NextDouble() < 0.2)
                    {
                        // The same connection again (a flap), or its port taken by a new one.
                        var old = gone[s][random.Next(gone[s].Count)];
                        c = random.NextDouble() < 0.5 ? old : old with { CreatedAtUtc = created, State = TcpState.Established };
                    }
                    else
                    {
                        var client = clients[(int)(clients.Length * Math.Pow(random.NextDouble(), 2))];
                        c = new TcpConnection(locals[s], 443, client, random.Next(1024, 1100), TcpState.Established, created);
                    }

                    if (s == 1)
                    {
                        c = c with { CreatedAtUtc = null };
                    }

                    if (!list.Any(x => x.RemoteAddress.Equals(c.RemoteAddress) && x.RemotePort == c.RemotePort && x.LocalAddress.Equals(c.LocalAddress) && x.LocalPort == c.LocalPort))
                    {
                        list.Add(c);
                    }
                }

                if (s == 2 && r is >= 100 and < 103)
                {
                    items.Add(new SnapshotFailure(Servers[s], "ssh", taken, "ssh: connect to host ex3 port 22: Connection timed out", TimeSpan.FromSeconds(30)));
                    continue;
                }

                if (s == 1 && r is >= 150 and < 159)
                {
                    continue;
                }

                // The source's own order, shuffled: the store keeps no order of its own.
                items.Add(new Snapshot(Servers[s], "ssh", taken, [.. list.OrderBy(_ => random.Next())], TimeSpan.FromMilliseconds(40)));
            }
        }

        return items;
    }
}
