using System.Buffers.Binary;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// Writes classic little-endian, microsecond pcap: the one file and record header every capture this project writes
/// uses (the UDP collector's rotated files, the demo and benchmark sample, the tests' captures).
/// </summary>
internal static class PcapFile
{
    public const int FileHeaderLength = 24;
    public const int RecordHeaderLength = 16;
    public const uint LinkTypeEthernet = 1;

    /// <summary>LINKTYPE_RAW: frames start with the IPv4 or IPv6 header.</summary>
    public const uint LinkTypeRaw = 101;

    public static void WriteFileHeader(Stream stream, uint linkType, uint snapLength = 65535)
    {
        Span<byte> header = stackalloc byte[FileHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapMagic.Microseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], linkType);
        stream.Write(header);
    }

    /// <summary>A record header for a frame of <paramref name="length"/> bytes captured whole at <paramref name="utc"/>.</summary>
    public static void WriteRecordHeader(Span<byte> destination, DateTime utc, int length)
    {
        var unixTicks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(unixTicks / TimeSpan.TicksPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)(unixTicks % TimeSpan.TicksPerSecond / 10));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)length);
    }
}
