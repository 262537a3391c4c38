using System.Buffers.Binary;
using ReportJob.NetFlow;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Writes a traffic pcap (Ethernet; IPv4 and IPv6; TCP, UDP and ICMP) of many hosts, ports and conversations for
/// softflowd to turn into exports: the "synthetic traffic" of the differential tests and the benchmark. Deterministic
/// for a seed. Also contains a scanner (10.66.6.6: one SYN to each of <see cref="ScannedPorts"/> ports of one host, and
/// an ICMP echo to each of <see cref="SweptHosts"/> hosts).
/// </summary>
internal static class SyntheticTraffic
{
    public const string Scanner = "10.66.6.6";
    public const int ScannedPorts = 150;
    public const int SweptHosts = 60;

    /// <summary>Start of the traffic: 2026-11-20 10:00:00 UTC.</summary>
    public static readonly DateTime Start = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    private static readonly ushort[] ServicePorts = [443, 80, 53, 22, 25, 389, 445, 3389, 123, 8080];

    /// <summary>Writes <paramref name="flows"/> conversations over <paramref name="span"/>; returns the packets written.</summary>
    public static long Write(string path, int flows, int seed = 7, TimeSpan? span = null, int maxPacketsPerFlow = 12, bool scanner = true, int maxPacketSize = 1440)
    {
        var random = new Random(seed);
        var duration = span ?? TimeSpan.FromMinutes(12);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        PcapFile.WriteFileHeader(file, PcapFile.LinkTypeEthernet);

        // Packets must be in time order: generate per flow (start, packets spaced 10 ms), then write flow by flow in
        // start order; flows overlap little at 10 ms spacing, and softflowd does not need strict global order.
        var buffer = new byte[2048];
        long packets = 0;
        var starts = new long[flows];
        for (var i = 0; i < flows; i++)
        {
            starts[i] = (long)(random.NextDouble() * duration.Ticks);
        }

        Array.Sort(starts);
        for (var i = 0; i < flows; i++)
        {
            var v6 = random.Next(10) == 0;
            var client = random.Next(v6 ? 40 : 400);
            var server = random.Next(v6 ? 10 : 60);
            var kind = random.Next(10);
            var protocol = kind < 6 ? (byte)6 : kind < 9 ? (byte)17 : v6 ? (byte)58 : (byte)1;
            var port = ServicePorts[Math.Min(random.Next(ServicePorts.Length), random.Next(ServicePorts.Length))];
            var clientPort = (ushort)(20000 + random.Next(40000));
            var forward = 1 + random.Next(maxPacketsPerFlow);
            var backward = protocol == 17 && random.Next(3) == 0 ? 0 : random.Next(maxPacketsPerFlow);
            var t = Start.Ticks + starts[i];
            var sent = 0;
            var replied = 0;
            for (var p = 0; p < forward + backward; p++)
            {
                // Alternate request and reply while both remain, then the rest.
                var reply = replied < backward && (sent >= forward || p % 2 == 1);
                if (reply)
                {
                    replied++;
                }
                else
                {
                    sent++;
                }

                var size = 40 + random.Next(Math.Max(1, protocol == 6 ? maxPacketSize - 40 : Math.Min(500, maxPacketSize - 40)));
                var length = Frame(buffer, v6, reply ? Server(server, v6) : Client(client, v6), reply ? Client(client, v6) : Server(server, v6),
                    protocol, reply ? port : clientPort, reply ? clientPort : port, size, (byte)(p == 0 ? 0x02 : 0x18));
                Record(file, buffer, length, t + (p * TimeSpan.TicksPerMillisecond * 10));
                packets++;
            }
        }

        if (scanner)
        {
            var t = Start.Ticks + (duration.Ticks / 2);
            for (var p = 0; p < ScannedPorts; p++)
            {
                var length = Frame(buffer, false, Parse(Scanner), Server(1, false), 6, 40000, (ushort)(1 + p), 40, 0x02);
                Record(file, buffer, length, t + (p * TimeSpan.TicksPerMillisecond));
                packets++;
            }

            for (var h = 0; h < SweptHosts; h++)
            {
                var length = Frame(buffer, false, Parse(Scanner), Parse($"10.77.0.{h + 1}"), 1, 0, 0x0800, 28, 0);
                Record(file, buffer, length, t + ((ScannedPorts + h) * TimeSpan.TicksPerMillisecond));
                packets++;
            }
        }

        return packets;
    }

    private static byte[] Client(int i, bool v6) => v6 ? Parse($"2001:db8:1::{i + 1:x}") : Parse($"10.1.{i / 200}.{(i % 200) + 1}");

    private static byte[] Server(int i, bool v6) => v6 ? Parse($"2001:db8:2::{i + 1:x}") : Parse($"10.2.0.{i + 1}");

    private static byte[] Parse(string text) => System.Net.IPAddress.Parse(text).GetAddressBytes();

    private static void Record(Stream file, byte[] frame, int length, long ticks)
    {
        Span<byte> record = stackalloc byte[16];
        PcapFile.WriteRecordHeader(record, new DateTime(ticks, DateTimeKind.Utc), length);
        file.Write(record);
        file.Write(frame, 0, length);
    }

    /// <summary>An Ethernet frame with an IP packet of <paramref name="ipLength"/> bytes (headers included, payload zero).</summary>
    private static int Frame(byte[] buffer, bool v6, byte[] source, byte[] destination, byte protocol, ushort sourcePort, ushort destinationPort, int ipLength, byte tcpFlags)
    {
        var span = buffer.AsSpan();
        var transport = protocol switch { 6 => 20, 17 => 8, _ => 8 };
        var ipHeader = v6 ? 40 : 20;
        ipLength = Math.Max(ipLength, ipHeader + transport);
        span[..(14 + ipLength)].Clear();
        span[0] = 0x02;
        span[6] = 0x02;
        span[11] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], v6 ? (ushort)0x86DD : (ushort)0x0800);
        var ip = span[14..];
        if (v6)
        {
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(ipLength - 40));
            ip[6] = protocol;
            ip[7] = 64;
            source.CopyTo(ip[8..]);
            destination.CopyTo(ip[24..]);
        }
        else
        {
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
            ip[8] = 64;
            ip[9] = protocol;
            source.CopyTo(ip[12..]);
            destination.CopyTo(ip[16..]);
            uint sum = 0;
            for (var i = 0; i < 20; i += 2)
            {
                sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
            }

            sum = (sum & 0xFFFF) + (sum >> 16);
            sum = (sum & 0xFFFF) + (sum >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        }

        var l4 = ip[ipHeader..];
        if (protocol is 1 or 58)
        {
            // ICMP echo request: type in the high byte of the "port" argument.
            l4[0] = protocol == 58 ? (byte)128 : (byte)(destinationPort >> 8);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
            if (protocol == 6)
            {
                l4[12] = 0x50;
                l4[13] = tcpFlags;
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)(ipLength - ipHeader));
            }
        }

        return 14 + ipLength;
    }
}
