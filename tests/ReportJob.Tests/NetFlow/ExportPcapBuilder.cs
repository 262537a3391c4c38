using System.Buffers.Binary;
using System.Net;
using ReportJob.NetFlow;

namespace ReportJob.Tests.NetFlow;

/// <summary>Builds small pcaps of NetFlow v5 and v9 export datagrams (Ethernet/IPv4/UDP to port 2055) with exact records, for ingest tests.</summary>
internal sealed class ExportPcapBuilder
{
    public const ushort TemplateId = 300;

    private readonly List<(byte[] Frame, DateTime Time)> _frames = [];
    private uint _v5Sequence;
    private uint _v9Sequence;

    /// <summary>One flow record: addresses are IPv4 text; times UTC.</summary>
    public sealed record Flow(string Source, string Destination, ushort SourcePort, ushort DestinationPort, byte Protocol, uint Packets, uint Bytes, DateTime Start, DateTime End, byte? Direction = null);

    /// <summary>A v5 datagram (at most 30 records); <paramref name="samplingInterval"/> goes in the header (mode 1).</summary>
    public ExportPcapBuilder V5(string exporter, DateTime exportTime, IReadOnlyList<Flow> flows, ushort samplingInterval = 0)
    {
        var payload = new byte[24 + (48 * flows.Count)];
        var p = payload.AsSpan();
        const uint uptime = 10_000_000;
        BinaryPrimitives.WriteUInt16BigEndian(p, 5);
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)flows.Count);
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], uptime);
        BinaryPrimitives.WriteUInt32BigEndian(p[8..], Unix(exportTime));
        BinaryPrimitives.WriteUInt32BigEndian(p[16..], _v5Sequence);
        BinaryPrimitives.WriteUInt16BigEndian(p[22..], samplingInterval == 0 ? (ushort)0 : (ushort)(0x4000 | samplingInterval));
        _v5Sequence += (uint)flows.Count;
        for (var i = 0; i < flows.Count; i++)
        {
            var f = flows[i];
            var r = p[(24 + (48 * i))..];
            IPAddress.Parse(f.Source).TryWriteBytes(r, out _);
            IPAddress.Parse(f.Destination).TryWriteBytes(r[4..], out _);
            BinaryPrimitives.WriteUInt32BigEndian(r[16..], f.Packets);
            BinaryPrimitives.WriteUInt32BigEndian(r[20..], f.Bytes);
            BinaryPrimitives.WriteUInt32BigEndian(r[24..], Uptime(uptime, exportTime, f.Start));
            BinaryPrimitives.WriteUInt32BigEndian(r[28..], Uptime(uptime, exportTime, f.End));
            BinaryPrimitives.WriteUInt16BigEndian(r[32..], f.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(r[34..], f.DestinationPort);
            r[38] = f.Protocol;
        }

        return Add(exporter, payload, exportTime);
    }

    /// <summary>A v9 datagram with the template (when <paramref name="withTemplate"/>) and a data set of the records (with DIRECTION, IE 61).</summary>
    public ExportPcapBuilder V9(string exporter, DateTime exportTime, IReadOnlyList<Flow> flows, bool withTemplate = true, bool withData = true, uint sequenceSkip = 0)
    {
        (ushort Id, ushort Length)[] fields = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (2, 4), (1, 4), (22, 4), (21, 4), (61, 1)];
        const int recordLength = 30;
        var templateLength = withTemplate ? 4 + 4 + (fields.Length * 4) : 0;
        var dataLength = withData && flows.Count > 0 ? 4 + (recordLength * flows.Count) : 0;
        dataLength += dataLength % 4 == 0 ? 0 : 4 - (dataLength % 4);
        var payload = new byte[20 + templateLength + dataLength];
        var p = payload.AsSpan();
        const uint uptime = 10_000_000;
        _v9Sequence += sequenceSkip;
        BinaryPrimitives.WriteUInt16BigEndian(p, 9);
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)((withTemplate ? 1 : 0) + (withData ? flows.Count : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], uptime);
        BinaryPrimitives.WriteUInt32BigEndian(p[8..], Unix(exportTime));
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], _v9Sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(p[16..], 1);
        var at = 20;
        if (withTemplate)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p[at..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(p[(at + 2)..], (ushort)templateLength);
            BinaryPrimitives.WriteUInt16BigEndian(p[(at + 4)..], TemplateId);
            BinaryPrimitives.WriteUInt16BigEndian(p[(at + 6)..], (ushort)fields.Length);
            at += 8;
            foreach (var (id, length) in fields)
            {
                BinaryPrimitives.WriteUInt16BigEndian(p[at..], id);
                BinaryPrimitives.WriteUInt16BigEndian(p[(at + 2)..], length);
                at += 4;
            }
        }

        if (dataLength > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p[at..], TemplateId);
            BinaryPrimitives.WriteUInt16BigEndian(p[(at + 2)..], (ushort)dataLength);
            at += 4;
            foreach (var f in flows)
            {
                var r = p[at..];
                IPAddress.Parse(f.Source).TryWriteBytes(r, out _);
                IPAddress.Parse(f.Destination).TryWriteBytes(r[4..], out _);
                BinaryPrimitives.WriteUInt16BigEndian(r[8..], f.SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(r[10..], f.DestinationPort);
                r[12] = f.Protocol;
                BinaryPrimitives.WriteUInt32BigEndian(r[13..], f.Packets);
                BinaryPrimitives.WriteUInt32BigEndian(r[17..], f.Bytes);
                BinaryPrimitives.WriteUInt32BigEndian(r[21..], Uptime(uptime, exportTime, f.Start));
                BinaryPrimitives.WriteUInt32BigEndian(r[25..], Uptime(uptime, exportTime, f.End));
                r[29] = f.Direction ?? 0;
                at += recordLength;
            }
        }

        return Add(exporter, payload, exportTime);
    }

    public byte[] ToPcap()
    {
        using var ms = new MemoryStream();
        PcapFile.WriteFileHeader(ms, PcapFile.LinkTypeEthernet);
        Span<byte> record = stackalloc byte[16];
        foreach (var (frame, time) in _frames)
        {
            PcapFile.WriteRecordHeader(record, time, frame.Length);
            ms.Write(record);
            ms.Write(frame);
        }

        return ms.ToArray();
    }

    public string Save(string path)
    {
        File.WriteAllBytes(path, ToPcap());
        return path;
    }

    private static uint Unix(DateTime t) => (uint)((t.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond);

    private static uint Uptime(uint uptime, DateTime export, DateTime at) => uptime - (uint)(export - at).TotalMilliseconds;

    /// <summary>A datagram of the given payload from <paramref name="exporter"/>, captured at <paramref name="time"/>.</summary>
    public ExportPcapBuilder Add(string exporter, byte[] payload, DateTime time)
    {
        var frame = new byte[14 + 20 + 8 + payload.Length];
        var f = frame.AsSpan();
        f[0] = 2;
        f[6] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);
        var ip = f[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(28 + payload.Length));
        ip[8] = 64;
        ip[9] = 17;
        IPAddress.Parse(exporter).TryWriteBytes(ip[12..], out _);
        IPAddress.Parse("192.0.2.250").TryWriteBytes(ip[16..], out _);
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 2055);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        _frames.Add((frame, time));
        return this;
    }
}
