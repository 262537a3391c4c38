using System.Buffers.Binary;
using System.Net;
using ReportJob.NetFlow;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Writes traffic pcaps for softflowd to export: a normal background (clients using web, SSH, DNS and mail servers with
/// whole TCP connections) and, beside it, one of the attacks the detections are for: a SYN flood from spoofed sources,
/// a port scan, a bulk transfer, a spam burst. Frames are Ethernet/IPv4 cut after the transport header, with the IP
/// total length of the whole packet (softflowd counts that), so the pcaps stay small. Deterministic.
/// </summary>
internal sealed class AttackTraffic : IDisposable
{
    /// <summary>2026-11-20 10:00:00 UTC: all traffic falls into that hour.</summary>
    public static readonly DateTime Start = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    public const string FloodTarget = "10.2.0.1";
    public const string Scanner = "10.66.6.6";
    public const string ScanTarget = "10.2.0.3";
    public const string BulkSender = "10.1.0.77";
    public const string BulkReceiver = "10.2.0.40";
    public const string Spammer = "10.1.0.66";
    public const int FloodSources = 800;
    public const int ScannedPorts = 150;
    public const int SpamDestinations = 120;

    private readonly FileStream _file;
    private readonly List<(long Ticks, byte[] Frame, int Length)> _packets = [];

    public AttackTraffic(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write);
        PcapFile.WriteFileHeader(_file, PcapFile.LinkTypeEthernet);
    }

    /// <summary>
    /// 40 clients, each with 20 HTTPS connections spread over 6 web servers, 20 DNS queries, 2 SSH sessions and 2 mails
    /// submitted; the mail server relays to 5 outside mail exchangers. About 12 MB and 20,000 packets, no host above
    /// 15 % of the bytes or packets, no destination of more than 40 sources' tiny flows, no source of more than 5 SMTP
    /// destinations or 2 hosts.
    /// </summary>
    public AttackTraffic Background()
    {
        var t = Start;
        for (var c = 1; c <= 40; c++)
        {
            var client = $"10.1.0.{c}";
            for (var i = 0; i < 20; i++)
            {
                t = Start.AddSeconds((c * 13) + (i * 29));
                Connection(t, client, $"10.2.0.{11 + ((c + i) % 6)}", (ushort)(40000 + (c * 100) + i), 443, requests: 6, requestSize: 300, responses: 10, responseSize: 1400);
                Udp(t.AddMilliseconds(500), client, "10.2.0.53", (ushort)(30000 + (c * 100) + i), 53, 70);
                Udp(t.AddMilliseconds(502), "10.2.0.53", client, 53, (ushort)(30000 + (c * 100) + i), 160);
            }

            for (var s = 0; s < 2; s++)
            {
                Connection(Start.AddSeconds(300 + (c * 7) + (s * 400)), client, "10.2.0.22", (ushort)(50000 + (c * 10) + s), 22, requests: 20, requestSize: 120, responses: 20, responseSize: 200);
                Connection(Start.AddSeconds(600 + (c * 5) + (s * 200)), client, "10.2.0.25", (ushort)(51000 + (c * 10) + s), 587, requests: 8, requestSize: 900, responses: 6, responseSize: 100);
            }
        }

        for (var mx = 1; mx <= 5; mx++)
        {
            Connection(Start.AddSeconds(900 + mx), "10.2.0.25", $"192.0.2.{mx * 10}", (ushort)(52000 + mx), 25, requests: 20, requestSize: 1200, responses: 8, responseSize: 100);
        }

        return this;
    }

    /// <summary>SYN packets from <see cref="FloodSources"/> spoofed sources to <see cref="FloodTarget"/>:443, 4 each from new ports, within 20 s.</summary>
    public AttackTraffic SynFlood()
    {
        for (var i = 0; i < FloodSources * 4; i++)
        {
            var source = i % FloodSources;
            Tcp(Start.AddSeconds(1200).AddMilliseconds(i * 6), $"100.64.{source / 200}.{(source % 200) + 1}", FloodTarget, (ushort)(1024 + (i * 7 % 60000)), 443, Syn, 60);
        }

        return this;
    }

    /// <summary>A SYN to each of ports 1 to <see cref="ScannedPorts"/> of <see cref="ScanTarget"/>, from <see cref="Scanner"/>.</summary>
    public AttackTraffic PortScan()
    {
        for (var port = 1; port <= ScannedPorts; port++)
        {
            Tcp(Start.AddSeconds(1300).AddMilliseconds(port * 20), Scanner, ScanTarget, 45000, (ushort)port, Syn, 44);
        }

        return this;
    }

    /// <summary>15 MB from <see cref="BulkSender"/> to <see cref="BulkReceiver"/>:22 (an scp) in one connection.</summary>
    public AttackTraffic BulkTransfer()
    {
        Connection(Start.AddSeconds(1400), BulkSender, BulkReceiver, 47000, 22, requests: 10_000, requestSize: 1500, responses: 5_000, responseSize: 52);
        return this;
    }

    /// <summary><see cref="Spammer"/> delivering mail to <see cref="SpamDestinations"/> outside mail exchangers on TCP/25.</summary>
    public AttackTraffic SpamBurst()
    {
        for (var d = 0; d < SpamDestinations; d++)
        {
            Connection(Start.AddSeconds(1500 + d), Spammer, $"198.18.{d / 100}.{(d % 100) + 1}", (ushort)(55000 + d), 25, requests: 8, requestSize: 800, responses: 6, responseSize: 90);
        }

        return this;
    }

    /// <summary>Writes the packets in time order and closes the file.</summary>
    public void Dispose()
    {
        Span<byte> header = stackalloc byte[PcapFile.RecordHeaderLength];
        foreach (var (ticks, frame, length) in _packets.OrderBy(p => p.Ticks))
        {
            // Captured: the headers; on the wire: the IP total length written in them.
            var wire = 14 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
            PcapFile.WriteRecordHeader(header, new DateTime(ticks, DateTimeKind.Utc), length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)wire);
            _file.Write(header);
            _file.Write(frame, 0, length);
        }

        _file.Dispose();
    }

    private const byte Fin = 0x01;
    private const byte Syn = 0x02;
    private const byte Psh = 0x08;
    private const byte Ack = 0x10;

    /// <summary>A TCP connection: handshake, the requests and responses (sizes are IP lengths), and the close.</summary>
    private void Connection(DateTime t, string client, string server, ushort clientPort, ushort serverPort, int requests, int requestSize, int responses, int responseSize)
    {
        var ms = 0.0;
        DateTime Next() => t.AddMilliseconds(ms += 2);
        Tcp(Next(), client, server, clientPort, serverPort, Syn, 60);
        Tcp(Next(), server, client, serverPort, clientPort, Syn | Ack, 60);
        Tcp(Next(), client, server, clientPort, serverPort, Ack, 52);
        for (var i = 0; i < Math.Max(requests, responses); i++)
        {
            if (i < requests)
            {
                Tcp(Next(), client, server, clientPort, serverPort, Psh | Ack, requestSize);
            }

            if (i < responses)
            {
                Tcp(Next(), server, client, serverPort, clientPort, Psh | Ack, responseSize);
            }
        }

        Tcp(Next(), client, server, clientPort, serverPort, Fin | Ack, 52);
        Tcp(Next(), server, client, serverPort, clientPort, Fin | Ack, 52);
    }

    private void Tcp(DateTime t, string source, string destination, ushort sourcePort, ushort destinationPort, int flags, int ipLength)
    {
        var l4 = Packet(t, source, destination, 6, ipLength, 20);
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
        l4[12] = 0x50;
        l4[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 65535);
    }

    private void Udp(DateTime t, string source, string destination, ushort sourcePort, ushort destinationPort, int ipLength)
    {
        var l4 = Packet(t, source, destination, 17, ipLength, 8);
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)(ipLength - 20));
    }

    /// <summary>Ethernet + IPv4 header of a packet of <paramref name="ipLength"/> bytes; returns its transport header, to fill.</summary>
    private Span<byte> Packet(DateTime t, string source, string destination, byte protocol, int ipLength, int transport)
    {
        var length = 14 + 20 + transport;
        var frame = new byte[length];
        var f = frame.AsSpan();
        f[0] = 0x02;
        f[6] = 0x02;
        f[11] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);
        var ip = f[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
        ip[8] = 64;
        ip[9] = protocol;
        IPAddress.Parse(source).TryWriteBytes(ip[12..], out _);
        IPAddress.Parse(destination).TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], RotatingPcapWriter.Ipv4Checksum(ip[..20]));
        _packets.Add((t.Ticks, frame, length));
        return f[34..];
    }
}
