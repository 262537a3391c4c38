using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ReportJob.Snapshots;

/// <summary>
/// This Windows machine's TCP table through iphlpapi's GetExtendedTcpTable (TCP_TABLE_OWNER_PID_ALL, IPv4 and IPv6),
/// which is what Get-NetTCPConnection shows, with the owning process. That table class has no creation time
/// (TCP_TABLE_OWNER_MODULE_ALL would have it), so CreatedAtUtc stays null.
/// Not tested here: the tests run on Linux. It is kept small, reading the documented row layouts
/// (MIB_TCPROW_OWNER_PID: 6 DWORDs; MIB_TCP6ROW_OWNER_PID: 16-byte address, scope, port ×2, state, pid) from a
/// byte buffer instead of marshalling structs.
/// </summary>
internal static class WindowsTcpTable
{
    private const int AfInet = 2;
    private const int AfInet6 = 23;
    private const int TcpTableOwnerPidAll = 5;
    private const uint ErrorInsufficientBuffer = 122;
    private const int Row4Size = 24;
    private const int Row6Size = 56;

    [SupportedOSPlatform("windows")]
    public static void Read(List<TcpConnection> into)
    {
        Read(AfInet, Row4Size, into);
        Read(AfInet6, Row6Size, into);
    }

    [SupportedOSPlatform("windows")]
    private static void Read(int family, int rowSize, List<TcpConnection> into)
    {
        var buffer = Fetch(family);
        ReadOnlySpan<byte> table = buffer;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(table);
        // The rows start after dwNumEntries, at the rows' alignment (both row types are DWORD-aligned).
        var rows = table[4..];
        for (var i = 0; i < count && (i + 1) * rowSize <= rows.Length; i++)
        {
            var row = rows.Slice(i * rowSize, rowSize);
            into.Add(family == AfInet ? Row4(row) : Row6(row));
        }
    }

    private static TcpConnection Row4(ReadOnlySpan<byte> row)
    {
        // dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid; addresses and ports in network order.
        var state = (TcpState)BinaryPrimitives.ReadInt32LittleEndian(row);
        var local = new IPAddress(row.Slice(4, 4));
        var localPort = Port(row.Slice(8, 4));
        var remote = new IPAddress(row.Slice(12, 4));
        var remotePort = Port(row.Slice(16, 4));
        var pid = BinaryPrimitives.ReadInt32LittleEndian(row[20..]);
        return new TcpConnection(local, localPort, remote, remotePort, state, null, pid);
    }

    private static TcpConnection Row6(ReadOnlySpan<byte> row)
    {
        // ucLocalAddr[16], dwLocalScopeId, dwLocalPort, ucRemoteAddr[16], dwRemoteScopeId, dwRemotePort, dwState, dwOwningPid.
        var local = SnapshotStore.Normalize(new IPAddress(row[..16]));
        var localPort = Port(row.Slice(20, 4));
        var remote = SnapshotStore.Normalize(new IPAddress(row.Slice(24, 16)));
        var remotePort = Port(row.Slice(44, 4));
        var state = (TcpState)BinaryPrimitives.ReadInt32LittleEndian(row[48..]);
        var pid = BinaryPrimitives.ReadInt32LittleEndian(row[52..]);
        return new TcpConnection(local, localPort, remote, remotePort, state, null, pid);
    }

    /// <summary>The port is in the low 16 bits of the DWORD, in network byte order: the first two bytes in memory.</summary>
    private static int Port(ReadOnlySpan<byte> dword) => BinaryPrimitives.ReadUInt16BigEndian(dword);

    [SupportedOSPlatform("windows")]
    private static byte[] Fetch(int family)
    {
        // The table can grow between the size query and the read: ask again until it fits.
        var buffer = new byte[64 * 1024];
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var size = (uint)buffer.Length;
            var result = GetExtendedTcpTable(buffer, ref size, 0, family, TcpTableOwnerPidAll, 0);
            if (result == 0)
            {
                return buffer;
            }

            if (result != ErrorInsufficientBuffer)
            {
                throw new SnapshotSourceException($"GetExtendedTcpTable (address family {family}) failed with error {result}");
            }

            buffer = new byte[size + (256 * Row6Size)];
        }

        throw new SnapshotSourceException("GetExtendedTcpTable: the table kept growing while being read");
    }

    // A classic DllImport: every parameter is blittable (the byte array is pinned, so the writes land in it), so the
    // runtime marshals nothing; it is not run here (no Windows), which is why it was not moved to LibraryImport.
    [DllImport("iphlpapi.dll", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [SupportedOSPlatform("windows")]
    private static extern uint GetExtendedTcpTable([In, Out] byte[] table, ref uint size, int order, int family, int tableClass, uint reserved);
}
