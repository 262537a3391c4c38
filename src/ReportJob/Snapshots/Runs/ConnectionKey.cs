using System.Net;

namespace ReportJob.Snapshots;

/// <summary>
/// A connection's addresses and ports: what it is, whatever its state. <see cref="Copy"/> tells apart rows of one
/// snapshot with the same addresses and ports (a CSV file can list them twice, and the routine's figures count both):
/// 0 for the first, 1 for the second … in the order the snapshot lists them.
/// </summary>
internal readonly record struct ConnectionKey(RunAddress Local, int LocalPort, RunAddress Remote, int RemotePort, int Copy = 0)
{
    /// <summary>The most copies of one connection a snapshot can hold: the copy is stored above the local port's 16 bits of a 32-bit integer.</summary>
    public const int MaxCopy = short.MaxValue;

    /// <summary>The local port with the copy above its 16 bits, as <c>connection_run.local_port</c> and the open runs keep it.</summary>
    public int StoredLocalPort => LocalPort | (Copy << 16);

    public bool Equals(ConnectionKey other) =>
        LocalPort == other.LocalPort && RemotePort == other.RemotePort && Copy == other.Copy && Remote.Equals(other.Remote) && Local.Equals(other.Local);

    // Clients hold many connections to one local address: the remote address and port tell them apart.
    public override int GetHashCode() =>
        HashCode.Combine((ulong)Remote.Bits, (ulong)(Remote.Bits >> 64), RemotePort, StoredLocalPort, (ulong)Local.Bits ^ (ulong)(Local.Bits >> 64), Remote.ScopeId ^ Local.ScopeId);

    /// <summary>The key of a stored local port value (<see cref="StoredLocalPort"/>); false for a value no key stores.</summary>
    public static bool TryStored(RunAddress local, long storedLocalPort, RunAddress remote, int remotePort, out ConnectionKey key)
    {
        key = new ConnectionKey(local, (int)(storedLocalPort & 0xFFFF), remote, remotePort, (int)(storedLocalPort >> 16));
        return storedLocalPort is >= 0 and <= ((long)MaxCopy << 16) + 0xFFFF;
    }

    /// <summary>The next copy of this connection in the same snapshot.</summary>
    public ConnectionKey NextCopy() =>
        Copy < MaxCopy ? this with { Copy = Copy + 1 } : throw new InvalidDataException($"one snapshot lists {LocalPort}/{RemotePort} of the same addresses more than {MaxCopy + 1} times");

    public static ConnectionKey Of(in TcpConnection c) => new(RunAddress.From(c.LocalAddress), c.LocalPort, RunAddress.From(c.RemoteAddress), c.RemotePort);

    public static ConnectionKey Of(IPAddress local, int localPort, IPAddress remote, int remotePort) =>
        new(RunAddress.From(local), localPort, RunAddress.From(remote), remotePort);
}
