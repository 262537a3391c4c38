using System.Buffers.Binary;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// The packed target lists of <c>flow_scan_evidence</c>: one row per source and hour instead of one per target
/// (a busy hour has hundreds of thousands of targets, and rows are what the ingest pays for).
/// Hosts: 24 bytes per target, the address (16 bytes, IPv6 or IPv4-mapped, network order) then the probe-shaped flows to it
/// (int64, little-endian). Ports: 12 bytes per target, <c>protocol &lt;&lt; 16 | port</c> (int32, little-endian) then
/// the flows (int64, little-endian).
/// </summary>
internal static class ScanEvidence
{
    public const int HostEntryLength = 24;
    public const int PortEntryLength = 12;

    public static byte[] PackHosts(IReadOnlyList<(FlowAddress Host, long Flows)> hosts)
    {
        var bytes = new byte[hosts.Count * HostEntryLength];
        for (var i = 0; i < hosts.Count; i++)
        {
            var entry = bytes.AsSpan(i * HostEntryLength, HostEntryLength);
            hosts[i].Host.WriteBytes(entry);
            BinaryPrimitives.WriteInt64LittleEndian(entry[16..], hosts[i].Flows);
        }

        return bytes;
    }

    public static byte[] PackPorts(IReadOnlyList<(int ProtocolPort, long Flows)> ports)
    {
        var bytes = new byte[ports.Count * PortEntryLength];
        for (var i = 0; i < ports.Count; i++)
        {
            var entry = bytes.AsSpan(i * PortEntryLength, PortEntryLength);
            BinaryPrimitives.WriteInt32LittleEndian(entry, ports[i].ProtocolPort);
            BinaryPrimitives.WriteInt64LittleEndian(entry[4..], ports[i].Flows);
        }

        return bytes;
    }

    /// <summary>Adds the packed hosts' flows into <paramref name="into"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a whole number of entries.</exception>
    public static void AddHosts(ReadOnlySpan<byte> packed, Dictionary<FlowAddress, long> into)
    {
        CheckLength(packed, HostEntryLength, "hosts");
        for (var at = 0; at < packed.Length; at += HostEntryLength)
        {
            var host = FlowAddress.FromIPv6(packed.Slice(at, 16));
            into[host] = into.GetValueOrDefault(host) + BinaryPrimitives.ReadInt64LittleEndian(packed[(at + 16)..]);
        }
    }

    /// <summary>Adds the packed ports' flows into <paramref name="into"/> (key <c>protocol &lt;&lt; 16 | port</c>).</summary>
    /// <exception cref="FormatException">The bytes are not a whole number of entries.</exception>
    public static void AddPorts(ReadOnlySpan<byte> packed, Dictionary<int, long> into)
    {
        CheckLength(packed, PortEntryLength, "ports");
        for (var at = 0; at < packed.Length; at += PortEntryLength)
        {
            var port = BinaryPrimitives.ReadInt32LittleEndian(packed[at..]);
            into[port] = into.GetValueOrDefault(port) + BinaryPrimitives.ReadInt64LittleEndian(packed[(at + 4)..]);
        }
    }

    private static void CheckLength(ReadOnlySpan<byte> packed, int entry, string what)
    {
        if (packed.Length % entry != 0)
        {
            throw new FormatException($"flow_scan_evidence.{what}: {packed.Length} bytes is not a whole number of {entry}-byte entries");
        }
    }
}
